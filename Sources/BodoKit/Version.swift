/// bodo's version: the one place it is written. `bodo --version` prints it, and the Debian
/// package (issue 24) is to take its version from that output, so the two cannot differ.
public enum BodoVersion {
    public static let current = "0.9.0"
}
