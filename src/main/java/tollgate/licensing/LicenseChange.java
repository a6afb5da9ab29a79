package tollgate.licensing;

/** An event's data for a changed license: the license (without its key) and what {@code field} was before. */
public record LicenseChange(License license, String field, Object previous) {}
