/**
 * Job configuration: HOCON files plus {@code --set key=value} overrides, resolved against the
 * defaults in {@code defaults.conf} (the one place defaults live), checked at load time, and turned
 * into immutable records. Unknown keys and bad values fail with a {@link dev.sparktrain.config.ConfigException}
 * naming the key and the value found.
 */
package dev.sparktrain.config;
