package dev.ferry.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * TLS settings for the connections to one site: the optional {@code sites.<name>.tls} block.
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code mode} (optional, default {@code preferred}) &mdash; one of {@code disabled},
 *       {@code preferred} (use TLS if the server supports it), {@code required} (TLS, but the server
 *       certificate is not checked), {@code verify-ca} (TLS, the certificate must be signed by a trusted
 *       CA) and {@code verify-identity} (like {@code verify-ca}, and the host name must match the
 *       certificate). These are the {@code sslMode} values of MySQL Connector/J.</li>
 *   <li>{@code trust-store} (optional) &mdash; path of a trust store (JKS or PKCS12) holding the CA
 *       certificates to trust; without it the JVM's default trust store is used. Not allowed with
 *       {@code mode: disabled}. The file is read by the JDBC driver, so it must exist at that path
 *       wherever the Flink jobs run.</li>
 *   <li>{@code trust-store-password} or {@code trust-store-password-file} (optional, at most one,
 *       only together with {@code trust-store}) &mdash; the trust store password, written like
 *       any other secret (see {@link Secret}).</li>
 * </ul>
 *
 * @param mode the TLS mode
 * @param trustStore trust store path, or {@code null}
 * @param trustStorePassword trust store password, or {@code null}
 */
public record TlsConfig(Mode mode, String trustStore, Secret trustStorePassword) implements Serializable {

    /** The configuration used when the {@code tls} block is absent. */
    public static final TlsConfig DEFAULT = new TlsConfig(Mode.PREFERRED, null, null);

    public TlsConfig {
        Objects.requireNonNull(mode, "mode");
        if (trustStorePassword != null && trustStore == null) {
            throw new IllegalArgumentException("trustStorePassword without trustStore");
        }
    }

    /** Values of {@code tls.mode}. */
    public enum Mode {
        DISABLED,
        PREFERRED,
        REQUIRED,
        VERIFY_CA,
        VERIFY_IDENTITY;

        /** The spelling used in channel files, e.g. {@code verify-ca}. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The matching MySQL Connector/J {@code sslMode} property value, e.g. {@code VERIFY_CA}. */
        public String connectorJSslMode() {
            return name();
        }
    }
}
