/**
 * Learning-rate schedulers with torch.optim.lr_scheduler's definitions (PyTorch 1.13): StepLR,
 * MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR, ReduceLROnPlateau and
 * SequentialLR, stepping per epoch or per iteration over a {@link dev.sparktrain.optim.schedule.ScheduleTarget}.
 */
package dev.sparktrain.optim.schedule;
