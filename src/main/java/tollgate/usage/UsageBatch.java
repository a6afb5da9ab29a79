package tollgate.usage;

/** The answer to a batch: how many events were new and how many repeated an id already recorded. */
public record UsageBatch(String object, int accepted, int duplicates) {
    public UsageBatch(int accepted, int duplicates) {
        this("usage_event_batch", accepted, duplicates);
    }
}
