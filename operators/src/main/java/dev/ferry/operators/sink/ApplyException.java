package dev.ferry.operators.sink;

import java.sql.SQLException;

/** A statement the target refused, with the table and source position in the message. */
final class ApplyException extends SQLException {
    ApplyException(String message, SQLException cause) {
        super(message, cause.getSQLState(), cause.getErrorCode(), cause);
    }
}
