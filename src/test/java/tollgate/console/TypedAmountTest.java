package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tollgate.console.TypedAmount.Amount;
import tollgate.console.TypedAmount.Refused;
import tollgate.console.TypedAmount.Why;
import tollgate.invoicing.AmountFormat;

/**
 * How the console reads an amount typed in a currency's units: a point writes decimals, a comma only groups thousands in
 * threes, and anything else (a decimal comma above all: "9,00" once became $900.00) is refused, never guessed at.
 */
class TypedAmountTest {
    private static final int USD = AmountFormat.digits("usd");
    private static final int JPY = AmountFormat.digits("jpy");
    private static final int BHD = AmountFormat.digits("bhd");

    private static TypedAmount.Reading usd(String text) {
        return TypedAmount.read(text, USD);
    }

    @Test
    void theCurrenciesHaveTheirMinorUnits() {
        assertThat(USD).isEqualTo(2);
        assertThat(JPY).isZero();
        assertThat(BHD).isEqualTo(3);
    }

    @Test
    void aPointWritesDecimalsInMinorUnitsExactly() {
        assertThat(usd("9.00")).isEqualTo(new Amount(900));
        assertThat(usd("9")).isEqualTo(new Amount(900));
        assertThat(usd("9.")).isEqualTo(new Amount(900));
        assertThat(usd("9.5")).isEqualTo(new Amount(950));
        assertThat(usd("0.01")).isEqualTo(new Amount(1));
        assertThat(usd("0")).isEqualTo(new Amount(0));
        assertThat(usd("0.00")).isEqualTo(new Amount(0));
        assertThat(usd("00012.30")).isEqualTo(new Amount(1230));
        assertThat(usd(" 12 ")).isEqualTo(new Amount(1200));
        assertThat(usd("1000.50")).isEqualTo(new Amount(100_050));
        assertThat(usd("999999999999.99")).isEqualTo(new Amount(99_999_999_999_999L));
    }

    @Test
    void aCommaGroupsThousandsInThreesBeforeAnOptionalPoint() {
        assertThat(usd("1,000")).isEqualTo(new Amount(100_000));
        assertThat(usd("1,000.50")).isEqualTo(new Amount(100_050));
        assertThat(usd("1,000.5")).isEqualTo(new Amount(100_050));
        assertThat(usd("12,345.67")).isEqualTo(new Amount(1_234_567));
        assertThat(usd("123,456")).isEqualTo(new Amount(12_345_600));
        assertThat(usd("1,234,567.89")).isEqualTo(new Amount(123_456_789));
        assertThat(usd("1,000.")).isEqualTo(new Amount(100_000));
    }

    @Test
    void aCommaThatIsNotAThousandsSeparatorIsRefusedAsADecimalComma() {
        for (String text : new String[] {"9,00", "1,5", "1,50", "5,00", "12,3456", "0,99", "1,0000", "1234,567", "1,000,00",
                "1,00.50", "1,000.50,00", ",50", "1,", "1,,000", "1,000,", "1.000,50", "-9,00", "1, 000"}) {
            assertThat(usd(text)).as(text).isEqualTo(new Refused(Why.DECIMAL_COMMA));
        }
    }

    @Test
    void moreDecimalsThanTheCurrencyHasAreRefusedNeverRounded() {
        assertThat(usd("10.005")).isEqualTo(new Refused(Why.TOO_MANY_DECIMALS));
        assertThat(usd("1.000")).isEqualTo(new Refused(Why.TOO_MANY_DECIMALS));
        assertThat(usd("1,000.505")).isEqualTo(new Refused(Why.TOO_MANY_DECIMALS));
        assertThat(TypedAmount.read("5.5", JPY)).isEqualTo(new Refused(Why.TOO_MANY_DECIMALS));
        assertThat(TypedAmount.read("1.0005", BHD)).isEqualTo(new Refused(Why.TOO_MANY_DECIMALS));
    }

    @Test
    void aCurrencyWithoutDecimalsReadsWholeAmountsAndItsThousands() {
        assertThat(TypedAmount.read("900", JPY)).isEqualTo(new Amount(900));
        assertThat(TypedAmount.read("1,000", JPY)).isEqualTo(new Amount(1000));
        assertThat(TypedAmount.read("1,234,567", JPY)).isEqualTo(new Amount(1_234_567));
        assertThat(TypedAmount.read("900.", JPY)).isEqualTo(new Amount(900));
        assertThat(TypedAmount.read("1,5", JPY)).isEqualTo(new Refused(Why.DECIMAL_COMMA));
        assertThat(TypedAmount.read("9,00", JPY)).isEqualTo(new Refused(Why.DECIMAL_COMMA));
    }

    @Test
    void aCurrencyWithThreeDecimalsReadsThem() {
        assertThat(TypedAmount.read("1.005", BHD)).isEqualTo(new Amount(1005));
        assertThat(TypedAmount.read("1,000.5", BHD)).isEqualTo(new Amount(1_000_500));
        assertThat(TypedAmount.read("2", BHD)).isEqualTo(new Amount(2000));
        assertThat(TypedAmount.read("1,500", BHD)).isEqualTo(new Amount(1_500_000));
    }

    @Test
    void aMinusIsKeptForTheRulesToRefuse() {
        assertThat(usd("-5")).isEqualTo(new Amount(-500));
        assertThat(usd("- 5.25")).isEqualTo(new Amount(-525));
        assertThat(usd("-1,000")).isEqualTo(new Amount(-100_000));
    }

    @Test
    void textThatIsNoNumberIsRefused() {
        for (String text : new String[] {"", " ", "abc", "9.00 USD", "$9", "9.0.0", ".5", "1 000", "1e3", "+5", "--5", "9.-1",
                "1000000000000", "٩", "１２"}) {
            assertThat(usd(text)).as(text).isEqualTo(new Refused(Why.NOT_AN_AMOUNT));
        }
        assertThat(TypedAmount.read(null, USD)).isEqualTo(new Refused(Why.NOT_AN_AMOUNT));
    }

    @Test
    void theRefusalOfADecimalCommaNamesTheFieldAndSaysToUseAPoint() {
        assertThat(TypedAmount.commaRefused("Price", "usd", USD))
                .isEqualTo("“Price”: use a point for decimals, like 9.00; a comma only separates thousands, as in 1,000.50.");
        assertThat(TypedAmount.commaRefused("Amount off", "bhd", BHD))
                .isEqualTo("“Amount off”: use a point for decimals, like 9.000; a comma only separates thousands, as in 1,000.500.");
        assertThat(TypedAmount.commaRefused("Price", "jpy", JPY))
                .isEqualTo("“Price”: a comma only separates thousands, as in 1,000; JPY has no decimals, so enter a whole amount, like 900.");
    }
}
