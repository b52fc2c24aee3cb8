/**
 * Learning curves as pictures: {@link LearningCurves} draws one run's epochs, or several runs overlaid,
 * as one PNG of four panels against the epoch (train and val loss, the val metric, each param group's
 * lr, samples/s) with XChart, headless. The run directory's {@code curves.png} and the {@code plot}
 * command draw through it.
 */
package dev.sparktrain.chart;
