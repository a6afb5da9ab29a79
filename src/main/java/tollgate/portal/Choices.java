package tollgate.portal;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import tollgate.web.Form;

/** The lists sign-up and company forms choose from: countries (ISO 3166-1 alpha-2) and IANA time zones. */
final class Choices {
    static final Set<String> COUNTRY_CODES = Set.of(Locale.getISOCountries());
    static final List<Form.Option> COUNTRIES = Stream.of(Locale.getISOCountries())
            .map(c -> new Form.Option(c, Locale.of("", c).getDisplayCountry(Locale.ENGLISH)))
            .sorted(Comparator.comparing(Form.Option::label)).toList();
    /** Region/City zones people recognise; offsets and legacy aliases are left out. */
    static final List<Form.Option> ZONES = Stream.concat(Stream.of("UTC"), ZoneId.getAvailableZoneIds().stream()
                    .filter(z -> z.matches("(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_/-]+"))
                    .sorted())
            .map(z -> new Form.Option(z, z.replace('_', ' '))).toList();
    static final Set<String> ZONE_IDS = Set.copyOf(ZONES.stream().map(Form.Option::value).toList());

    private Choices() {}
}
