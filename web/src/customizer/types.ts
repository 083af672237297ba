// The shapes the customizer exchanges with Luneo's shopper API
// (/api/embed/…, the issue 12 contract) and the design document it edits
// (internal/design's Document: millimetres from a zone's top-left corner,
// y down, angles in degrees clockwise). Kept apart from the code so every
// module reads the same names the server writes.

/** A UV rectangle of a material, glTF's: (0, 0) is the texture's top-left. */
export interface UVRect {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

/** A colour a shopper may pick in a colour zone. */
export interface ColourOption {
  name: string;
  hex: string;
}

/** A customizable zone of the product, as the catalog writes it. */
export interface Zone {
  id: string;
  name: string;
  type: 'print' | 'colour';
  material: string;
  uv_rect: UVRect | null;
  width_mm: number | null;
  height_mm: number | null;
  dpi: number | null;
  layer_types: string[] | null;
  max_layers: number;
  max_chars: number;
  fonts: string[] | null;
  colours: string[] | null;
  bleed_mm: number;
  safe_mm: number;
  min_image_dpi: number;
  min_text_pt: number;
  colour_options: ColourOption[] | null;
  position: number;
  mask: { url?: string; width: number; height: number } | null;
  /** The 3D camera orbit facing a print zone's centre (degrees), when the server found one. */
  view?: { theta: number; phi: number } | null;
}

/** A material of the product's model, with the texture print zones go on. */
export interface Material {
  name: string;
  texture_url: string | null;
  width: number;
  height: number;
  base_color: string;
}

/** A pricing rule: amount (minor units) added when a zone uses a layer type. */
export interface PriceRule {
  zone_id: string;
  layer_type: string;
  amount: number;
}

/** GET /api/embed/product. */
export interface ProductAnswer {
  product: {
    id: string;
    name: string;
    description: string;
    price: number;
    currency: string;
    currency_digits: number;
    variant: { id: string; name: string } | null;
  };
  model: { glb_url: string; poster_url: string | null };
  materials: Material[];
  zones: Zone[];
  fonts: { family: string; styles: string[] }[];
  pricing: { rules: PriceRule[] };
  limits: { max_upload_bytes: number; image_types: string[]; preview_max: number };
  design: DesignAnswer | null;
}

/** A text layer: (x_mm, y_mm) is the first line's baseline at its alignment. */
export interface TextLayer {
  type: 'text';
  text: string;
  font: string;
  size_pt: number;
  color: string;
  align: 'left' | 'center' | 'right';
  x_mm: number;
  y_mm: number;
  rotation: number;
  line_height?: number;
  letter_spacing_mm?: number;
  arc_deg?: number;
  stroke?: string;
  stroke_mm?: number;
}

/** An uploaded image (its SHA-256) in the box (x_mm, y_mm, width_mm, height_mm). */
export interface ImageLayer {
  type: 'image';
  asset: string;
  x_mm: number;
  y_mm: number;
  width_mm: number;
  height_mm: number;
  rotation: number;
  opacity?: number;
  crop?: { x: number; y: number; width: number; height: number };
}

/** A fill of the whole print zone. */
export interface FillLayer {
  type: 'colour';
  color: string;
}

export type Layer = TextLayer | ImageLayer | FillLayer;

/** What a design puts in one zone: layers (print zone) or a colour (colour zone). */
export interface DocZone {
  zone_id: string;
  layers?: Layer[];
  colour?: string;
}

/** A design document (schema v1). */
export interface DesignDocument {
  v: number;
  product_id: string;
  variant_id?: string;
  zones: DocZone[];
}

/** A warning the server attached to a save or a preview. */
export interface Warning {
  zone_id?: string;
  layer?: number;
  message: string;
}

/** POST /api/embed/quote, and the price of a save. */
export interface Quote {
  amount: number;
  currency: string;
  lines: { label: string; amount: number }[];
}

/** The answer of a save (route 6) and, with document, of a reopen. */
export interface DesignAnswer {
  design: { id: string; name: string; product_id: string; version: number };
  version: { number: number; sha256: string };
  warnings: Warning[] | null;
  price: Quote | null;
  link: string;
  preview_url: string;
  document?: DesignDocument;
  /** The images of a reopened design, by SHA-256, with short-lived URLs. */
  assets?: Record<string, AssetAnswer>;
}

/** One entry of GET /api/embed/designs?product=current. */
export interface DesignSummary {
  id: string;
  name: string;
  version: number;
  updated_at: string;
  preview_url: string;
}

/** GET /api/embed/designs/{id}/ar. */
export interface ARAnswer {
  status: 'pending' | 'ready' | 'failed';
  page_url: string;
  qr: string;
  glb_url?: string;
  usdz_url?: string;
}

/** POST /api/embed/assets. */
export interface AssetAnswer {
  sha256: string;
  width: number;
  height: number;
  mime_type: string;
  size: number;
  /** A signed URL of the stored image (an hour). */
  url?: string;
}
