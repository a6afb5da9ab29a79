package tollgate.api;

/** A response other than a 200 JSON body: another status, or a raw body with its content type. */
public record Reply(int status, Object body, String contentType) {
    public static Reply json(int status, Object body) { return new Reply(status, body, null); }
    public static Reply raw(String contentType, Object bytesOrString) { return new Reply(200, bytesOrString, contentType); }
}
