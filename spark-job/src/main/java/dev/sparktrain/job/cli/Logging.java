package dev.sparktrain.job.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * --debug: the job's console log (conf/log4j2.properties keeps each record to its first line, without
 * stack frames) gets the full records with stack traces, and sparktrain logs at DEBUG. Does nothing
 * when the logging backend is not Log4j 2's core (a platform's own logging).
 */
final class Logging {
    static final String FULL_PATTERN = "%d{HH:mm:ss} %-5p %c{1}: %m%n%xEx";

    private Logging() {
    }

    static void debug() {
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return;
        }
        Configuration conf = ctx.getConfiguration();
        List<LoggerConfig> loggers = new ArrayList<>(conf.getLoggers().values());
        loggers.add(conf.getRootLogger());
        for (LoggerConfig logger : loggers) {
            for (Appender a : List.copyOf(logger.getAppenders().values())) {
                if (a instanceof ConsoleAppender console && !(console.getLayout() instanceof PatternLayout p
                        && p.getConversionPattern().equals(FULL_PATTERN))) {
                    Appender full = ConsoleAppender.newBuilder().setName(a.getName() + "-debug")
                            .setTarget(console.getTarget()).setConfiguration(conf)
                            .setLayout(PatternLayout.newBuilder().withPattern(FULL_PATTERN).withConfiguration(conf)
                                    .build()).build();
                    full.start();
                    conf.addAppender(full);
                    logger.removeAppender(a.getName());
                    logger.addAppender(full, null, null);
                }
            }
        }
        ctx.updateLoggers();
        Configurator.setLevel("dev.sparktrain", Level.DEBUG);
    }
}
