package dev.sparktrain.optim;

/** A hyper-parameter torch's constructor would reject: torch's message, and which parameter (torch's name). */
public final class HyperParamException extends IllegalArgumentException {
    private final String param;

    public HyperParamException(String param, String message) {
        super(message);
        this.param = param;
    }

    /** torch's name of the rejected hyper-parameter ({@code weight_decay}). */
    public String param() {
        return param;
    }
}
