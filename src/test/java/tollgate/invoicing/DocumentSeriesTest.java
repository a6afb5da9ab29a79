package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DocumentSeriesTest {

    @Test
    void numbersHaveSixDigitsAndMoreWhenNeeded() {
        assertThat(DocumentSeries.INVOICE.format(1)).isEqualTo("INV-000001");
        assertThat(DocumentSeries.INVOICE.format(999_999)).isEqualTo("INV-999999");
        assertThat(DocumentSeries.INVOICE.format(1_000_000)).isEqualTo("INV-1000000");
        assertThat(DocumentSeries.CREDIT_NOTE.format(42)).isEqualTo("CN-000042");
    }

    @Test
    void numbersStartAtOne() {
        assertThatThrownBy(() -> DocumentSeries.INVOICE.format(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
