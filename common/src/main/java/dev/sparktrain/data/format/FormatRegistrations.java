package dev.sparktrain.data.format;

/** The table of formats sparktrain reads itself; any other {@code data.format} goes to Spark SQL. */
final class FormatRegistrations {
    private static boolean done;

    private FormatRegistrations() {
    }

    static synchronized void ensure() {
        if (done) {
            return;
        }
        done = true;
        DataFormats.register(new IdxFormat());
        DataFormats.register(new CsvFormat());
        DataFormats.register(new ImageFolderFormat());
    }
}
