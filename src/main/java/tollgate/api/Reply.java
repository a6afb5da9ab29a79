package tollgate.api;

/**
 * A response other than a 200 JSON body: another status, or a raw body with its content type — and, for a document
 * to save (a PDF), the file name a browser offers ({@code Content-Disposition: inline}, so it still opens in place).
 */
public record Reply(int status, Object body, String contentType, String filename) {
    public static Reply json(int status, Object body) { return new Reply(status, body, null, null); }
    public static Reply raw(String contentType, Object bytesOrString) { return new Reply(200, bytesOrString, contentType, null); }
    public static Reply file(String contentType, String filename, byte[] bytes) { return new Reply(200, bytes, contentType, filename); }
}
