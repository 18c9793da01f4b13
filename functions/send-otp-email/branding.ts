/**
 * The operator's brand in the mail: product name, optional logo, accent colour, optional support
 * contact and footer line. The validators are exported for the settings module to refuse bad
 * values at deploy time; the renderer applies them again and drops what fails.
 */
export interface Branding {
  productName: string
  /** An https URL of an image shown at the top instead of the product name. */
  logoUrl?: string
  /** A hex colour, `#rgb` or `#rrggbb`. */
  accentColor?: string
  /** Where to ask for help: an https URL, or an address (`supportUrl` wins when both are set). */
  supportUrl?: string
  supportEmail?: string
  /** One line at the bottom (company name, postal address). */
  footer?: string
}

/** The web app's primary colour. */
export const defaultAccentColor = '#4338ca'

const hexColour = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i

/** Why `value` cannot be the accent colour, or `null` when it can. Only hex colours: nothing else reaches a style attribute. */
export function accentColorProblem(value: string): string | null {
  return hexColour.test(value)
    ? null
    : `accent colour must be a hex colour such as ${defaultAccentColor} or #fff, got ${JSON.stringify(
        value.slice(0, 40),
      )}`
}

/** Whether `value` is an absolute https URL (for the logo and the support page). */
export function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:' && !/[\s\p{Cc}]/u.test(value)
  } catch {
    return false
  }
}

// One plain address: nothing that could close the attribute, start another address or a header.
const plainAddress =
  /^[^\s\p{Cc}@<>()[\]\\,;:"'?&]+@[^\s\p{Cc}@<>()[\]\\,;:"'?&/]+\.[^\s\p{Cc}@<>()[\]\\,;:"'?&/]+$/u

/** Whether `value` is a single plain email address, fit for a `mailto:` link. */
export const isSupportAddress = (value: string): boolean =>
  value.length <= 254 && plainAddress.test(value)

function channel(hex: string): number {
  const c = parseInt(hex, 16) / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

function luminance(colour: string): number {
  const six = colour.length === 4 ? colour.replace(/[0-9a-f]/gi, (d) => d + d) : colour
  const [r, g, b] = [1, 3, 5].map((at) => channel(six.slice(at, at + 2)))
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
}

/** WCAG contrast ratio of two hex colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05)
}

/** The branding settings (`infra/settings/declaration.ts`); an empty optional one is off. */
export interface BrandingSettings {
  appName: string
  brandLogoUrl: string
  brandAccentColor: string
  brandSupport: string
  brandFooter: string
}

/** The brand as the settings declare it: the support contact is a page when it is an https URL, else an address. */
export function brandingFromSettings(settings: BrandingSettings): Branding {
  const support = settings.brandSupport
  return {
    productName: settings.appName,
    ...(settings.brandLogoUrl ? { logoUrl: settings.brandLogoUrl } : {}),
    accentColor: settings.brandAccentColor,
    ...(support && isHttpsUrl(support) ? { supportUrl: support } : {}),
    ...(support && !isHttpsUrl(support) ? { supportEmail: support } : {}),
    ...(settings.brandFooter ? { footer: settings.brandFooter } : {}),
  }
}
