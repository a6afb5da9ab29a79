package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text a caller chose is shortened to the room a description has, never beyond it and never mid-character. */
class InvoiceLineTest {
    @Test
    void textThatFitsIsKeptAndLongerTextIsCutToExactlyTheRoomWithAnEllipsis() {
        assertThat(InvoiceLine.shortened("https://example.com", 19)).isEqualTo("https://example.com");
        assertThat(InvoiceLine.shortened("https://example.com/shop", 19)).isEqualTo("https://example.co…").hasSize(19);
    }

    @Test
    void aCharacterOutsideTheBasicPlaneIsNotCutInTwo() {
        String site = "https://example.com/\uD83D\uDE00\uD83D\uDE00"; // two emoji, two chars each
        String cut = InvoiceLine.shortened(site, 22);
        assertThat(cut).isEqualTo("https://example.com/…");
        assertThat(cut.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
        assertThat(InvoiceLine.shortened(site, 23)).isEqualTo("https://example.com/\uD83D\uDE00…");
    }
}
