package dev.ferry.dialect;

/**
 * How a connection uses TLS, as a channel file says it ({@code tls.mode}); each {@link DialectFactory} spells it in
 * its driver's properties. Defined here so that the dialects need nothing of the channel file.
 */
public enum TlsMode {
    DISABLED,
    PREFERRED,
    REQUIRED,
    VERIFY_CA,
    VERIFY_IDENTITY
}
