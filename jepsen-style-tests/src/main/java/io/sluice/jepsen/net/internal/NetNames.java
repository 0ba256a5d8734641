package io.sluice.jepsen.net.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and addresses of one run's network objects. Every name starts with {@value #PREFIX}
 * and the run's four-character tag, so that the objects of a run (and only they) can be found and
 * removed: bridge {@code slcTAGbr}, host-side veth ends {@code slcTAGh<i>}, node-side ends
 * {@code slcTAGn<i>} (inside the namespaces), namespaces {@code slcTAG-n<i>}, nftables table
 * {@code inet slcTAG} (inside each namespace). Link names stay within Linux's 15 characters.
 * Addresses: the run's own subnet {@code 10.77.<octet>.0/24}; the harness (clients) has
 * {@code .1} on the bridge, node {@code i} has {@code .(10+i)}. Immutable.
 *
 * @param tag   four lower-case letters or digits, unique among live runs
 * @param octet the third octet of the run's subnet, 1-254
 */
public record NetNames(String tag, int octet) {
    /** What every object of every run starts with. */
    public static final String PREFIX = "slc";
    /** Nodes a run may have (their addresses are .11 to .19). */
    public static final int MAX_NODES = 9;

    private static final Pattern TAG = Pattern.compile("[0-9a-z]{4}");
    private static final Pattern LINK = Pattern.compile("^" + PREFIX + "([0-9a-z]{4})(br|h[1-9]|n[1-9])$");
    private static final Pattern NAMESPACE = Pattern.compile("^" + PREFIX + "([0-9a-z]{4})-n[1-9]$");

    public NetNames {
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("a run tag is four lower-case letters or digits: " + tag);
        }
        if (octet < 1 || octet > 254) {
            throw new IllegalArgumentException("subnet octet must be 1-254: " + octet);
        }
    }

    /** {@code slc} and the tag: the prefix of every object of this run. */
    public String prefix() {
        return PREFIX + tag;
    }

    /** The bridge in the harness's namespace. */
    public String bridge() {
        return prefix() + "br";
    }

    /** The veth end on the bridge for node {@code i}. */
    public String hostVeth(int node) {
        return prefix() + "h" + checked(node);
    }

    /** The veth end inside node {@code i}'s namespace. */
    public String nodeVeth(int node) {
        return prefix() + "n" + checked(node);
    }

    /** Node {@code i}'s network namespace. */
    public String namespace(int node) {
        return prefix() + "-n" + checked(node);
    }

    /** The nftables table (family inet) in each namespace. */
    public String table() {
        return prefix();
    }

    /** The harness's address on the bridge. */
    public String hostAddress() {
        return "10.77." + octet + ".1";
    }

    /** Node {@code i}'s address. */
    public String nodeAddress(int node) {
        return "10.77." + octet + "." + (10 + checked(node));
    }

    /** The prefix length of the subnet. */
    public int prefixLength() {
        return 24;
    }

    private static int checked(int node) {
        if (node < 1 || node > MAX_NODES) {
            throw new IllegalArgumentException("node ids are 1-" + MAX_NODES + ": " + node);
        }
        return node;
    }

    /** The run tag of a link named like this class names them, if it is one. */
    public static Optional<String> tagOfLink(String name) {
        return group(LINK.matcher(name));
    }

    /** The run tag of a namespace named like this class names them, if it is one. */
    public static Optional<String> tagOfNamespace(String name) {
        return group(NAMESPACE.matcher(name));
    }

    private static Optional<String> group(Matcher matcher) {
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
