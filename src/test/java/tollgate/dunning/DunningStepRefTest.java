package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Decision 029: a dunning step's row reference is a record, stored as the text rows have always carried. */
class DunningStepRefTest {
    @Test
    void writtenAsTheInvoiceAHashAndTheStep() {
        assertThat(Dunning.STEP.write(new DunningStepRef("inv_01HX7Z", 3))).isEqualTo("inv_01HX7Z#3");
        assertThat(Dunning.STEP.name()).isEqualTo("dunning.step");
    }

    @Test
    void rowsWrittenBeforeTheRecordReadBack() {
        // The text a row scheduled by an earlier version holds.
        assertThat(Dunning.STEP.read("inv_01HX7Z9K2M#12")).isEqualTo(new DunningStepRef("inv_01HX7Z9K2M", 12));
        assertThat(Dunning.STEP.read("inv_a#b#0")).isEqualTo(new DunningStepRef("inv_a#b", 0));
    }

    @Test
    void roundTrips() {
        DunningStepRef ref = new DunningStepRef("inv_01J0000000", 7);
        assertThat(Dunning.STEP.read(Dunning.STEP.write(ref))).isEqualTo(ref);
    }

    @Test
    void aReferenceWithoutAStepIsRefused() {
        assertThatThrownBy(() -> Dunning.STEP.read("inv_01HX7Z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dunning.STEP.read("inv_01HX7Z#x")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void theBackupPurgeNamesItsAccount() {
        assertThat(Dunning.PURGE.name()).isEqualTo("account.purge_backups");
        assertThat(Dunning.PURGE.write(new BackupPurgeRef("acct_1"))).isEqualTo("acct_1");
        assertThat(Dunning.PURGE.read("acct_1")).isEqualTo(new BackupPurgeRef("acct_1"));
    }
}
