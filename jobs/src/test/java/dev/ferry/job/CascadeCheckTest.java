package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Foreign key actions read from SHOW CREATE TABLE, as MariaDB 10.11 and MySQL 9.7 print them. */
class CascadeCheckTest {
    @Test
    void actionsAreReadPerConstraintAndAnOmittedOneIsRestrict() {
        String ddl = String.join("\n",
                "CREATE TABLE `address` (",
                "  `id` int(11) NOT NULL,",
                "  `city_id` int(11) NOT NULL,",
                "  `alt` int(11) DEFAULT NULL,",
                "  PRIMARY KEY (`id`),",
                "  CONSTRAINT `fk_address_city` FOREIGN KEY (`city_id`) REFERENCES `city` (`id`) ON UPDATE CASCADE,",
                "  CONSTRAINT `odd``name ON DELETE` FOREIGN KEY (`alt`) REFERENCES `other db`.`city` (`id`)"
                        + " ON DELETE SET NULL ON UPDATE NO ACTION,",
                "  CONSTRAINT `plain` FOREIGN KEY (`alt`) REFERENCES `city` (`id`)",
                ") ENGINE=InnoDB");
        Map<String, String[]> actions = CascadeCheck.actionsIn(ddl);
        assertThat(actions.get("fk_address_city")).containsExactly("CASCADE", "RESTRICT");
        assertThat(actions.get("odd`name ON DELETE")).containsExactly("NO ACTION", "SET NULL");
        assertThat(actions.get("plain")).containsExactly("RESTRICT", "RESTRICT");
        assertThat(actions).hasSize(3);
    }
}
