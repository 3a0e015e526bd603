package dev.ferry.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DdlTagTest {
    @Test
    void theTagGoesAfterTheFirstKeyword() {
        assertThat(DdlTag.tag("alter table vgp_order add booboo varchar(255) default 'superman'", "demo", "sh->us"))
                .isEqualTo("alter /* ferry:demo:sh->us */ table vgp_order add booboo varchar(255) default 'superman'");
        assertThat(DdlTag.tag("  CREATE TABLE t (id int primary key)", "c", "a->b"))
                .isEqualTo("  CREATE /* ferry:c:a->b */ TABLE t (id int primary key)");
    }

    @Test
    void taggedStatementsAreRecognisedFromAnyChannel() {
        assertThat(DdlTag.isTagged("DROP /* ferry:other:x->y */ TABLE t")).isTrue();
        assertThat(DdlTag.isTagged(DdlTag.tag("drop table t", "c", "a->b"))).isTrue();
        assertThat(DdlTag.isTagged("drop table t")).isFalse();
        assertThat(DdlTag.isTagged("alter table t comment 'ferry: no'")).isFalse();
    }

    @Test
    void aStatementRelayedFromAnotherSiteCarriesOnlyTheTagOfTheDirectionApplyingItNow() {
        String atHub = DdlTag.tag("alter table t add c int", "c", "eu->sh");
        assertThat(DdlTag.label(atHub)).isEqualTo("c:eu->sh");
        String atUs = DdlTag.tag(atHub, "c", "sh->us");
        assertThat(atUs).isEqualTo("alter /* ferry:c:sh->us */ table t add c int");
        assertThat(DdlTag.label(atUs)).isEqualTo("c:sh->us");
        assertThat(DdlTag.label("alter /*ferry:parsed-without:YWx0ZXI*/ table t add c int")).isNull();
        assertThat(DdlTag.label("alter table t add c int")).isNull();
    }

    @Test
    void namesThatWouldCloseTheCommentAreRefused() {
        assertThatThrownBy(() -> DdlTag.tag("drop table t", "c*/", "a->b")).isInstanceOf(IllegalArgumentException.class);
    }
}
