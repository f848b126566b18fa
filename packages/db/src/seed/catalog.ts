/**
 * The demo shop's vocabulary: a three-level tree (department → category →
 * sub-category) whose leaves each say what they sell, in what words, at what
 * prices. Products are drawn from their leaf's words only, so a name never
 * contradicts its category ("Voltra Slim Laptop" under Laptops).
 */

export interface Leaf {
  name: string;
  /** What the products are called: every name ends with one of these. */
  nouns: string[];
  /** Model words between the brand and the noun ("Slim", "Studio"). */
  models: string[];
  /** Two are drawn into each description. */
  features: string[];
  /** Whole units of the shop's currency; prices end in .99 or .49. */
  price: [min: number, max: number];
}

export interface Department {
  name: string;
  /** Brands of this department's products. */
  brands: string[];
  children: Record<string, Leaf[]>;
}

const leaf = (
  name: string,
  nouns: string[],
  models: string[],
  features: string[],
  price: [number, number],
): Leaf => ({ name, nouns, models, features, price });

export const DEPARTMENTS: Department[] = [
  {
    name: 'Electronics',
    brands: ['Voltra', 'Pixelon', 'Nordtek', 'Auralis'],
    children: {
      Computers: [
        leaf(
          'Laptops',
          ['Laptop', 'Ultrabook', 'Notebook'],
          ['Slim', 'Pro', 'Air', 'Studio'],
          ['a 14-inch matte display', 'all-day battery', 'a backlit keyboard', '1 TB SSD'],
          [499, 2499],
        ),
        leaf(
          'Desktops',
          ['Desktop', 'Mini PC', 'Tower'],
          ['Core', 'Studio', 'Compact', 'Max'],
          ['eight cores', 'quiet cooling', 'Wi-Fi 7', 'room for four drives'],
          [399, 2999],
        ),
        leaf(
          'Monitors',
          ['Monitor', 'Display'],
          ['View', 'Pro', 'Wide', 'Color'],
          ['a 27-inch IPS panel', '144 Hz refresh', 'USB-C with 90 W charging', 'a height stand'],
          [129, 899],
        ),
      ],
      Phones: [
        leaf(
          'Smartphones',
          ['Smartphone', 'Phone'],
          ['One', 'Lite', 'Pro', 'Mini'],
          ['a 6.1-inch OLED screen', 'a triple camera', '5G', 'two-day battery'],
          [199, 1299],
        ),
        leaf(
          'Cases',
          ['Phone Case', 'Folio Case', 'Bumper'],
          ['Clear', 'Grip', 'Armor', 'Slim'],
          ['drop-tested to 3 m', 'raised camera edges', 'a soft lining', 'MagSafe magnets'],
          [9, 59],
        ),
        leaf(
          'Chargers',
          ['Charger', 'Power Bank', 'Charging Stand'],
          ['Fast', 'Duo', 'Go', 'Max'],
          ['65 W output', 'two USB-C ports', 'a folding plug', 'a braided cable'],
          [15, 99],
        ),
      ],
      Audio: [
        leaf(
          'Headphones',
          ['Headphones', 'Earbuds', 'Headset'],
          ['Studio', 'Quiet', 'Sport', 'Wireless'],
          [
            'active noise cancelling',
            '30-hour battery',
            'memory-foam cushions',
            'a fold-flat design',
          ],
          [29, 449],
        ),
        leaf(
          'Speakers',
          ['Speaker', 'Soundbar', 'Smart Speaker'],
          ['Boom', 'Home', 'Mini', 'Wave'],
          ['360-degree sound', 'a splash-proof body', 'multi-room pairing', 'deep bass'],
          [39, 699],
        ),
      ],
    },
  },
  {
    name: 'Home',
    brands: ['Hearthwood', 'Casa Mira', 'Oakline', 'Kettleby'],
    children: {
      Kitchen: [
        leaf(
          'Cookware',
          ['Frying Pan', 'Saucepan', 'Dutch Oven', 'Wok'],
          ['Cast', 'Copper', 'Classic', 'Chef'],
          ['an induction-ready base', 'oven-safe to 260 °C', 'a stay-cool handle', 'a glass lid'],
          [19, 249],
        ),
        leaf(
          'Knives',
          ['Chef Knife', 'Santoku', 'Bread Knife', 'Knife Block'],
          ['Forged', 'Damask', 'Edge', 'Classic'],
          ['a full-tang blade', 'high-carbon steel', 'a balanced handle', 'a lifetime edge'],
          [15, 299],
        ),
        leaf(
          'Small Appliances',
          ['Kettle', 'Toaster', 'Blender', 'Coffee Maker'],
          ['Quick', 'Retro', 'Pure', 'Smart'],
          ['a keep-warm setting', 'a 1.7 l capacity', 'dishwasher-safe parts', 'auto shut-off'],
          [25, 399],
        ),
      ],
      Furniture: [
        leaf(
          'Chairs',
          ['Chair', 'Armchair', 'Stool'],
          ['Lounge', 'Nordic', 'Office', 'Bistro'],
          ['solid beech legs', 'a padded seat', 'stackable frames', 'a recycled fabric cover'],
          [49, 699],
        ),
        leaf(
          'Tables',
          ['Dining Table', 'Coffee Table', 'Side Table', 'Desk'],
          ['Round', 'Oak', 'Fold', 'Loft'],
          ['an oiled oak top', 'seats four', 'steel legs', 'a scratch-resistant finish'],
          [79, 1199],
        ),
        leaf(
          'Shelving',
          ['Bookcase', 'Wall Shelf', 'Shelving Unit'],
          ['Ladder', 'Cube', 'Float', 'Modular'],
          ['five adjustable shelves', 'holds 25 kg per shelf', 'hidden fixings', 'easy assembly'],
          [29, 499],
        ),
      ],
    },
  },
  {
    name: 'Fashion',
    brands: ['Linden', 'Marlowe', 'Rowan', 'Atelier Nine'],
    children: {
      Men: [
        leaf(
          'Shirts',
          ['Oxford Shirt', 'Linen Shirt', 'Polo Shirt', 'Flannel Shirt'],
          ['Classic', 'Slim', 'Weekend', 'Tailored'],
          ['organic cotton', 'a button-down collar', 'a relaxed fit', 'mother-of-pearl buttons'],
          [25, 129],
        ),
        leaf(
          'Trousers',
          ['Chinos', 'Jeans', 'Trousers', 'Joggers'],
          ['Straight', 'Slim', 'Utility', 'Stretch'],
          ['a comfort waistband', 'stretch denim', 'deep pockets', 'a tapered leg'],
          [35, 159],
        ),
        leaf(
          'Shoes',
          ['Sneakers', 'Derby Shoes', 'Loafers', 'Boots'],
          ['Street', 'City', 'Suede', 'Trail'],
          ['a cushioned sole', 'full-grain leather', 'a rubber outsole', 'a removable insole'],
          [49, 249],
        ),
      ],
      Women: [
        leaf(
          'Dresses',
          ['Wrap Dress', 'Midi Dress', 'Shirt Dress', 'Maxi Dress'],
          ['Summer', 'Evening', 'Floral', 'Linen'],
          ['a flattering wrap', 'side pockets', 'a lined skirt', 'breathable viscose'],
          [39, 219],
        ),
        leaf(
          'Tops',
          ['Blouse', 'T-Shirt', 'Tank Top', 'Knit Top'],
          ['Soft', 'Silk', 'Ribbed', 'Everyday'],
          ['a relaxed fit', 'organic cotton', 'a scoop neck', 'a silky drape'],
          [15, 99],
        ),
        leaf(
          'Shoes',
          ['Ballet Flats', 'Ankle Boots', 'Sandals', 'Sneakers'],
          ['City', 'Suede', 'Strappy', 'Cloud'],
          ['a padded footbed', 'soft suede', 'a block heel', 'a flexible sole'],
          [39, 229],
        ),
      ],
    },
  },
  {
    name: 'Outdoors',
    brands: ['Summit', 'Trailhead', 'Northpeak', 'Velora'],
    children: {
      Camping: [
        leaf(
          'Tents',
          ['Tent', 'Dome Tent', 'Tunnel Tent'],
          ['Ridge', 'Basecamp', 'Ultralight', 'Family'],
          [
            'sleeps two',
            'a 3000 mm waterproof fly',
            'colour-coded poles',
            'pitches in five minutes',
          ],
          [79, 799],
        ),
        leaf(
          'Sleeping Bags',
          ['Sleeping Bag', 'Quilt', 'Mummy Bag'],
          ['Down', 'Polar', 'Summer', 'Trek'],
          ['comfort to -5 °C', 'a compression sack', 'a two-way zip', 'recycled fill'],
          [39, 449],
        ),
      ],
      Cycling: [
        leaf(
          'Bikes',
          ['City Bike', 'Gravel Bike', 'Road Bike', 'E-Bike'],
          ['Urban', 'Sprint', 'Terra', 'Volt'],
          [
            'a light aluminium frame',
            'hydraulic disc brakes',
            'eleven gears',
            'puncture-proof tyres',
          ],
          [399, 3499],
        ),
        leaf(
          'Helmets',
          ['Helmet', 'MIPS Helmet', 'Kids Helmet'],
          ['Aero', 'Urban', 'Trail', 'Vent'],
          ['eighteen vents', 'a dial fit system', 'a rear light clip', 'EN 1078 certified'],
          [29, 249],
        ),
        leaf(
          'Lights',
          ['Bike Light', 'Light Set', 'Rear Light'],
          ['Beam', 'Flash', 'Nova', 'Glow'],
          ['800 lumens', 'USB-C charging', 'a tool-free mount', 'five modes'],
          [12, 129],
        ),
      ],
    },
  },
];

/** A leaf of the tree with where it sits: what a product is drawn from. */
export interface LeafPlace {
  department: Department;
  /** The middle level: "Computers", "Kitchen", "Men". */
  group: string;
  leaf: Leaf;
  /** Position among all leaves, in tree order: picks the leaf's picture style. */
  index: number;
}

/** Every leaf in tree order. */
export const LEAVES: LeafPlace[] = DEPARTMENTS.flatMap((department) =>
  Object.entries(department.children).flatMap(([group, leaves]) =>
    leaves.map((leaf) => ({ department, group, leaf })),
  ),
).map((place, index) => ({ ...place, index }));

const slugify = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The slugs of a leaf and its two ancestors: each includes its parent's, so two "Shoes" differ. */
export function slugsOf({ department, group, leaf }: LeafPlace) {
  const groupSlug = slugify(`${department.name} ${group}`);
  return {
    department: slugify(department.name),
    group: groupSlug,
    leaf: slugify(`${groupSlug} ${leaf.name}`),
  };
}

export interface DemoProduct {
  name: string;
  brand: string;
  description: string;
  price: string;
}

const pick = <T>(items: readonly T[], next: () => number): T =>
  items[Math.floor(next() * items.length)]!;

/** A product for `place`, drawn with `next` (a seeded generator): same draws, same product. */
export function demoProduct({ department, leaf }: LeafPlace, next: () => number): DemoProduct {
  const brand = pick(department.brands, next);
  const name = `${brand} ${pick(leaf.models, next)} ${pick(leaf.nouns, next)}`;
  const first = Math.floor(next() * leaf.features.length);
  const second =
    (first + 1 + Math.floor(next() * (leaf.features.length - 1))) % leaf.features.length;
  const [min, max] = leaf.price;
  const units = min + Math.floor(next() * (max - min));
  const cents = next() < 0.7 ? '99' : '49';
  return {
    name,
    brand,
    description:
      `${name}: ${leaf.features[first]} and ${leaf.features[second]}. ` +
      `From ${brand}'s ${leaf.name.toLowerCase()} range, in the ${department.name} department.`,
    price: `${units}.${cents}`,
  };
}
