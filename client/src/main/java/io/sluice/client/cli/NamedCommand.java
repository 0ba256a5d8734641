package io.sluice.client.cli;

/** A {@link Command} whose name and summary are fixed at construction. */
abstract class NamedCommand implements Command {
    private final String name;
    private final String summary;

    NamedCommand(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String summary() {
        return summary;
    }
}
