package io.sluice.client.common;

/**
 * A client configuration is invalid: an unknown key, a value of the wrong type or out of range, a
 * missing required key, or keys that contradict each other. The message names the key and says
 * what is accepted. Thrown by the client constructors, before any thread starts.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
