package tollgate.dunning;

import java.util.Arrays;
import java.util.Optional;

/** What a dunning step does (SPEC §6), with the names the API uses. */
public enum DunningAction {
    RETRY_PAYMENT("retry_payment"),
    NOTIFY("notify"),
    BLOCK_NEW_LICENSES("block_new_licenses"),
    SUSPEND_SERVICES("suspend_services"),
    CANCEL_SERVICES("cancel_services"),
    REVOKE_ALL_LICENSES("revoke_all_licenses"),
    SCHEDULE_DATA_DELETION("schedule_data_deletion");

    private final String wire;

    DunningAction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<DunningAction> parse(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
    }
}
