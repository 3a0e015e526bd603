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
    void namesThatWouldCloseTheCommentAreRefused() {
        assertThatThrownBy(() -> DdlTag.tag("drop table t", "c*/", "a->b")).isInstanceOf(IllegalArgumentException.class);
    }
}
