package ${package};

import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code servicepack.${serviceName}.*}: how the broker reaches ${ServiceName}, and what apps are told.
 * Every setting is listed, with its environment variable, at the top of {@code application.yml};
 * the required ones also in {@code META-INF/servicepack/required-settings.properties}, so a broker
 * started without them names them all at once.
 *
 * <p>A real backend adds its admin connection here (for example {@code adminUrl},
 * {@code adminUsername}, {@code adminPassword}: a setting named like a password is kept out of
 * the logs by the SDK), each with a line in {@code application.yml} and, when it has no usable
 * default, in {@code required-settings.properties}.
 *
 * @param host the host name apps connect to, written into every binding's credentials; a name
 *             apps can resolve, never a loopback address
 * @param port the port apps connect to (1-65535)
 */
@ConfigurationProperties("servicepack.${serviceName}")
public record ${ServiceName}Properties(String host, Integer port) {
    public ${ServiceName}Properties {
        if (host == null || host.isBlank()) {
            throw new MissingSettingException("servicepack.${serviceName}.host", "${serviceName.toUpperCase()}_HOST",
                    "the host name apps connect to, as they resolve it");
        }
        if (port == null || port < 1 || port > 65535) {
            throw new MissingSettingException("servicepack.${serviceName}.port", "${serviceName.toUpperCase()}_PORT",
                    "the port apps connect to, 1-65535");
        }
    }
}
