package tollgate.tenants;

/** The business running Tollgate. A {@code test} tenant has a settable clock; a {@code live} one reads the system clock. */
public record Tenant(String id, String name, Mode mode) {
    public enum Mode {
        TEST, LIVE;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Mode parse(String s) {
            return switch (s) {
                case "test" -> TEST;
                case "live" -> LIVE;
                default -> throw new IllegalArgumentException("mode must be test or live, not " + s);
            };
        }
    }

    public boolean isTest() { return mode == Mode.TEST; }

    /**
     * A tenant's name, wherever it is given ({@code POST /v1/tenant}, {@code tollgate tenant create}): 1 to 200
     * characters (the column's size) on one line, as it prints as the seller on invoices; a 422 naming {@code field}.
     */
    public static void requireName(String field, String name) {
        tollgate.parties.CompanyDetails.requireText(field, name, 200);
    }
}
