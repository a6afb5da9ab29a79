package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The statement counters tell reads from writes by the statement's first word (decision 060). */
class StatementKindTest {
    @Test
    void selectsAndReadOnlyWithQueriesAreReads() {
        assertThat(Database.reads("select 1")).isTrue();
        assertThat(Database.reads("  SELECT id from accounts where id = ? for update")).isTrue();
        assertThat(Database.reads("(select 1) union (select 2)")).isTrue();
        assertThat(Database.reads("with due as (select id from timeline) select * from due")).isTrue();
        assertThat(Database.reads("with due as (select id from timeline) select * from due for update")).isTrue();
    }

    @Test
    void everythingThatChangesRowsIsAWrite() {
        assertThat(Database.reads("insert into accounts (id) values (?)")).isFalse();
        assertThat(Database.reads("update invoices set status = ?")).isFalse();
        assertThat(Database.reads("delete from web_sessions where expires_at < ?")).isFalse();
        assertThat(Database.reads("with n as (update document_numbers set last_number = last_number + 1 returning last_number) "
                + "select last_number from n")).isFalse();
        assertThat(Database.reads("WITH gone AS (DELETE FROM form_tokens RETURNING id) SELECT count(*) FROM gone")).isFalse();
        assertThat(Database.reads("with n as (update\n document_numbers set last_number = 1 returning 1) select 1")).isFalse();
        assertThat(Database.reads("analyze invoice_lines")).isFalse();
        assertThat(Database.reads(null)).isFalse();
    }
}
