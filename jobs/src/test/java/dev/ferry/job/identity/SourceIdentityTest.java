package dev.ferry.job.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceIdentityTest {

    @Test
    void aMySqlIdentityKeepsItsGtidSetThroughTheState() {
        SourceIdentity mysql = new SourceIdentity(false, "3e11fa47-71ca-11e1-9e33-c80aa9429562", 7,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2", null, null);
        SourceIdentity restored = SourceIdentity.decode(mysql.encode());
        assertThat(restored.gtidExecuted())
                .isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2");
        assertThat(restored.serverUuid()).isEqualTo(mysql.serverUuid());
        assertThat(restored.mariaDb()).isFalse();
        assertThat(restored.describe()).isEqualTo("MySQL server_uuid 3e11fa47-71ca-11e1-9e33-c80aa9429562 (server_id 7)");
    }

    @Test
    void aMariaDbIdentityKeepsHowItsBinlogBegins() {
        String start = "Format_desc by 12: Server ver: 10.11.19-MariaDB-0+deb12u1-log, Binlog ver: 4; Gtid_list by 12:"
                + " [0-12-99,1-3-4]";
        SourceIdentity mariaDb = new SourceIdentity(true, null, 12, null, "binlog.000003", start);
        assertThat(SourceIdentity.decode(mariaDb.encode())).isEqualTo(mariaDb);
        assertThat(mariaDb.describe()).isEqualTo("MariaDB server_id 12 (binlog binlog.000003 beginning '" + start + "')");
    }
}
