package tollgate.usage;

/** What a batch did: how many events were new and how many repeated an id already recorded. */
public record UsageBatch(int accepted, int duplicates) {}
