/**
 * Links whose label is another address. Slack shows `<https://evil.example|https://bank.example>`
 * as "https://bank.example", so a note could send colleagues somewhere its text does not say.
 * When a label reads as a URL, a domain or an e-mail address and names another host than the
 * target, the real host is shown beside it. Hosts are compared in their ASCII (punycode) form,
 * and that is the form shown, so a lookalike such as `bаnk.example` (Cyrillic а) reads
 * `xn--bnk-6cd.example` and cannot pass for the real name.
 */

/** A label with a scheme: `https://…`, `mailto:…`, `ftp://…`. */
const WITH_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A host name: dot-separated labels (any script), ending with a top-level label of 2+ characters starting with a letter. */
const HOST = String.raw`(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]*[\p{L}\p{N}]\.?`;

/** A label without scheme that reads as a domain, maybe with a path: `bank.example/login`, `www.bank.example`. */
const BARE_DOMAIN = new RegExp(String.raw`^(${HOST})(?::\d+)?(?:[/?#]\S*)?$`, 'u');

/** A label that reads as an e-mail address: `ana@bank.example`. */
const EMAIL = new RegExp(String.raw`^[^\s@<>]+@(${HOST})$`, 'u');

/** A host in the one form compared and shown: IDNA ASCII, lower case, without a trailing dot or one leading `www.`. */
function canonicalHost(host: string): string | undefined {
  try {
    const ascii = new URL(`http://${host}`).hostname;
    return ascii.replace(/\.$/, '').replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/** The domain of a `mailto:` target's first address. */
function mailtoHost(target: string): string | undefined {
  const address = target.slice('mailto:'.length).split(/[?,]/, 1)[0] ?? '';
  const at = address.lastIndexOf('@');
  return at === -1 ? undefined : canonicalHost(decodeURIComponent(address.slice(at + 1)));
}

/** Where a link goes, as shown beside a lying label: its host, an e-mail domain, or the whole `tel:` target. */
function targetPlace(target: string): string | undefined {
  if (/^mailto:/i.test(target)) return mailtoHost(target);
  if (/^tel:/i.test(target)) return target;
  try {
    const host = new URL(target).hostname;
    return host ? canonicalHost(host) : undefined;
  } catch {
    return undefined;
  }
}

/** The host a label claims, when it reads as an address at all (`undefined` for "click here"). */
function claimedHost(label: string): string | undefined {
  const text = label.trim();
  if (WITH_SCHEME.test(text)) {
    if (/^mailto:/i.test(text)) return mailtoHost(text) ?? text;
    try {
      return canonicalHost(new URL(text).hostname) ?? text;
    } catch {
      return text; // reads as an address but does not parse: it cannot match the target
    }
  }
  const email = EMAIL.exec(text);
  if (email) return canonicalHost(email[1]!) ?? text;
  const domain = BARE_DOMAIN.exec(text);
  if (domain) return canonicalHost(domain[1]!) ?? text;
  return undefined;
}

/**
 * What to show beside a link whose label names another place than its target (the target's
 * host, ASCII), or `undefined` when the label is no address or names the target's own host.
 */
export function hiddenLinkHost(target: string, label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const claimed = claimedHost(label);
  if (claimed === undefined) return undefined;
  const real = targetPlace(target);
  if (real === undefined) return target;
  return claimed === real ? undefined : real;
}
