/**
 * The one list of protocols. Importing this module registers every protocol's fields, expert
 * items and dispatch-table entries. A new protocol is one folder plus one line here.
 */
import './frame/index.js';
import './data/index.js';
