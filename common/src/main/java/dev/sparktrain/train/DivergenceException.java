package dev.sparktrain.train;

/** Training produced a NaN or infinite loss or parameter. */
public class DivergenceException extends RuntimeException {
    public DivergenceException(String message) {
        super(message);
    }
}
