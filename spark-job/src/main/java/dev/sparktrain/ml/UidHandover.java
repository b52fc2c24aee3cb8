package dev.sparktrain.ml;

/**
 * Gives a Spark ML class written in Java its uid while its Scala superclass is being constructed.
 * Spark's Scala traits create their Params ({@code featuresCol}, ...) in the superclass constructor,
 * and each Param records {@code uid()} of its owner then; Scala assigns a constructor's {@code uid}
 * field before that, Java cannot assign a field before {@code super()}. So a constructor hands the
 * uid over here first ({@code this(UidHandover.of(uid))}) and {@code uid()} reads it until the field
 * is set.
 */
final class UidHandover {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();
    private final String uid;

    private UidHandover(String uid) {
        this.uid = uid;
    }

    /** Called in the explicit constructor call, before the superclass constructor runs. */
    static UidHandover of(String uid) {
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("uid must not be empty, found '" + uid + "'");
        }
        PENDING.set(uid);
        return new UidHandover(uid);
    }

    /** The uid being handed over on this thread (what {@code uid()} returns while the superclass constructs). */
    static String pending() {
        String uid = PENDING.get();
        if (uid == null) {
            throw new IllegalStateException("no uid handed over: construct through UidHandover.of(uid)");
        }
        return uid;
    }

    /** The uid, for the field, once the superclass is constructed; ends the handover. */
    String take() {
        PENDING.remove();
        return uid;
    }
}
