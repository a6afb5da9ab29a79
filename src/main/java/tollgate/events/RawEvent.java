package tollgate.events;

/** An event written as the API shows it ({@code GET /v1/events/{id}}), its stored data spliced in as it is. */
public record RawEvent(String id, byte[] json) {}
