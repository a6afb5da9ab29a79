package tollgate.web;

/** Thrown by a page to send the browser elsewhere with 303 See Other (a page that needs sign-in, say). */
public final class SeeOther extends RuntimeException {
    public SeeOther(String location) {
        super(location, null, false, false);
    }

    public String location() {
        return getMessage();
    }
}
