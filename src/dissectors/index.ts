/**
 * The one list of protocols. Importing this module registers every protocol's fields, expert
 * items and dispatch-table entries. A new protocol is one folder plus one line here.
 */
import './frame/index.js';
import './data/index.js';
import './gre/index.js';
import './pmip6udp/index.js';
import './mip6/index.js';
import './eth/index.js';
import './vlan/index.js';
import './sll/index.js';
import './null/index.js';
import './rawip/index.js';
import './ipv4/index.js';
import './ipv6/index.js';
import './udp/index.js';
import './tcp/index.js';
import './icmp/index.js';
import './icmpv6/index.js';
import './echo/index.js';
