/**
 * `gretool fields [prefix]`: the field glossary, in `tshark -G fields` layout (tab-separated:
 * "P  name  abbrev" for protocols, "F  name  abbrev  type  protocol  base  bitmask  description"
 * for fields), or `--json`. A prefix keeps one protocol's fields ("gre", "mip6.bu").
 */
import type { Command } from 'commander';
import '../../dissectors/index.js';
import { GretoolError } from '../../errors.js';
import { closeFieldNames } from '../../output/fields.js';
import { glossary, glossaryText } from '../../output/glossary.js';

export function registerFields(program: Command): Command {
  return program
    .command('fields')
    .description('list the fields gretool knows (the glossary, like tshark -G fields)')
    .argument('[prefix]', 'only this protocol or name prefix, e.g. "gre" or "mip6.bu"')
    .option('--json', 'print a JSON array of {kind, abbrev, name, type, protocol, base, mask, description, wireshark, values}')
    .addHelpText(
      'after',
      `
Text output is tab-separated as tshark -G fields: "P<TAB>name<TAB>abbrev" for a protocol and
"F<TAB>name<TAB>abbrev<TAB>type<TAB>protocol<TAB>base<TAB>bitmask<TAB>description" for a field.
Fields gretool adds (no Wireshark equivalent) have "wireshark": false in --json.`,
    )
    .action((prefix: string | undefined, opts: { json?: boolean }) => {
      const entries = glossary(prefix);
      if (entries.length === 0) {
        const close = prefix ? closeFieldNames(prefix) : [];
        throw new GretoolError('UNKNOWN_FIELD', `no field starts with "${prefix}"` + (close.length ? ` (did you mean ${close.join(', ')}?)` : ''));
      }
      process.stdout.write(opts.json ? JSON.stringify(entries, null, 2) + '\n' : glossaryText(entries));
    });
}
