package tollgate.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A state change, recorded in the same transaction as the change itself. */
public record Event(String id, String type, String account, Instant createdAt, JsonNode data) {}
