package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Amounts on paper: the currency's own decimals, grouped thousands, exact. */
class AmountFormatTest {

    @Test
    void twoDecimalCurrencies() {
        assertThat(AmountFormat.plain(109_100, "usd")).isEqualTo("1,091.00");
        assertThat(AmountFormat.plain(1091, "usd")).isEqualTo("10.91");
        assertThat(AmountFormat.plain(5, "eur")).isEqualTo("0.05");
        assertThat(AmountFormat.plain(0, "usd")).isEqualTo("0.00");
        assertThat(AmountFormat.plain(-273, "usd")).isEqualTo("-2.73");
        assertThat(AmountFormat.plain(123_456_789_012L, "usd")).isEqualTo("1,234,567,890.12");
    }

    @Test
    void currenciesWithoutOrWithMoreDecimals() {
        assertThat(AmountFormat.plain(1091, "jpy")).isEqualTo("1,091");
        assertThat(AmountFormat.plain(0, "jpy")).isEqualTo("0");
        assertThat(AmountFormat.plain(1_234_567, "krw")).isEqualTo("1,234,567");
        assertThat(AmountFormat.plain(1500, "bhd")).isEqualTo("1.500");
        assertThat(AmountFormat.plain(7, "kwd")).isEqualTo("0.007");
    }

    @Test
    void theExtremesOfALong() {
        assertThat(AmountFormat.plain(Long.MAX_VALUE, "usd")).isEqualTo("92,233,720,368,547,758.07");
        assertThat(AmountFormat.plain(Long.MIN_VALUE, "usd")).isEqualTo("-92,233,720,368,547,758.08");
    }

    @Test
    void withTheCurrencysCode() {
        assertThat(AmountFormat.withCode(1091, "usd")).isEqualTo("USD 10.91");
        assertThat(AmountFormat.withCode(1091, "JPY")).isEqualTo("JPY 1,091");
    }

    @Test
    void withTheCurrencysSymbol() {
        assertThat(AmountFormat.withSymbol(109100, "usd")).isEqualTo("$1,091.00");
        assertThat(AmountFormat.withSymbol(-273, "eur")).isEqualTo("-\u20ac2.73");
        assertThat(AmountFormat.withSymbol(500, "chf")).isEqualTo("CHF 5.00");
    }
}
