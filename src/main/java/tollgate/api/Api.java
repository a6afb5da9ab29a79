package tollgate.api;

import java.util.List;

/** One capability's slice of the HTTP API: its routes and its part of the OpenAPI document. */
public interface Api {
    List<Route> routes();

    /** The name of its OpenAPI fragment, {@code src/main/resources/openapi/<name>.json}. */
    String openApiFragment();
}
