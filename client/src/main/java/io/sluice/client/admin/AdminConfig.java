package io.sluice.client.admin;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.internal.config.ConfigDef;
import io.sluice.client.internal.config.ConfigDef.Type;
import java.util.Map;
import java.util.Properties;

/** The admin client's configuration. Unknown keys are refused with a suggestion. Immutable. */
public final class AdminConfig extends ClientConfig {
    /** How long an operation may take, retries included, unless the call says otherwise. */
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";

    private static final ConfigDef DEFINITION = defineCommon(new ConfigDef())
            .define(DEFAULT_API_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.atLeast(1),
                    "how long an operation may take, retries included");

    public AdminConfig(Map<String, ?> settings) {
        super(DEFINITION, settings);
    }

    public AdminConfig(Properties settings) {
        super(DEFINITION, settings);
    }

    /** Every key with its type, default and documentation (for docs and tools). */
    public static ConfigDef definition() {
        return DEFINITION;
    }
}
