/**
 * Demo category tree for a general classifieds site plus a product showcase. A category's effective
 * attribute schema is its ancestors' attributes followed by its own; an own attribute whose key is
 * inherited replaces the inherited one (Auto Parts & Accessories relaxes the vehicle attributes).
 */

import type { AttributeDefinitionInput } from '@souk/contracts';
import { carMakes, type DemoMake, motorcycleMakes, vanMakes } from './vehicle-makes.data.js';

export type DemoCategory = {
  slug: string;
  name: string;
  icon: string;
  description?: string;
  attributes?: AttributeDefinitionInput[];
  children?: DemoCategory[];
};

// ---------------------------------------------------------------------------------------------
// Small builders so the tree below reads as data
// ---------------------------------------------------------------------------------------------

type Flags = { required?: boolean; filterable?: boolean; shownInCard?: boolean; help?: string };
type OptionSpec = readonly [value: string, label: string];
type NumberSpec = Flags & { unit?: string; min?: number; max?: number };

function toOptions(specs: readonly OptionSpec[]): { value: string; label: string }[] {
  return specs.map(([value, label]) => ({ value, label }));
}

function enumOf(
  key: string,
  label: string,
  options: readonly OptionSpec[],
  flags: Flags = {},
): AttributeDefinitionInput {
  return { type: 'enum', key, label, options: toOptions(options), ...flags };
}

function multiEnumOf(
  key: string,
  label: string,
  options: readonly OptionSpec[],
  flags: Flags = {},
): AttributeDefinitionInput {
  return { type: 'multi_enum', key, label, options: toOptions(options), ...flags };
}

function integer(key: string, label: string, spec: NumberSpec = {}): AttributeDefinitionInput {
  return { type: 'integer', key, label, ...spec };
}

function decimal(
  key: string,
  label: string,
  spec: NumberSpec & { scale?: number } = {},
): AttributeDefinitionInput {
  return { type: 'decimal', key, label, ...spec };
}

function text(
  key: string,
  label: string,
  spec: Flags & { maxLength?: number } = {},
): AttributeDefinitionInput {
  return { type: 'text', key, label, ...spec };
}

function boolean(key: string, label: string, flags: Flags = {}): AttributeDefinitionInput {
  return { type: 'boolean', key, label, ...flags };
}

const FILTER = { filterable: true } as const;
const KEY_FACT = { required: true, filterable: true, shownInCard: true } as const;

/** `make` and a `model` that depends on it, from one list of makes. */
function makeAndModel(makes: DemoMake[]): AttributeDefinitionInput[] {
  return [
    {
      type: 'enum',
      key: 'make',
      label: 'Make',
      ...KEY_FACT,
      options: makes.map((make) => ({ value: make.value, label: make.label })),
    },
    {
      type: 'enum',
      key: 'model',
      label: 'Model',
      ...KEY_FACT,
      dependsOn: 'make',
      help: 'Pick the make first to narrow the list.',
      options: makes.flatMap((make) =>
        make.models.map((model) => ({ value: model.value, label: model.label, parentValue: make.value })),
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Attributes shared by several categories
// ---------------------------------------------------------------------------------------------

const engineCc = integer('engineCc', 'Engine capacity', { unit: 'cc', min: 50, max: 10000, ...FILTER });

const transmission = enumOf(
  'transmission',
  'Transmission',
  [
    ['automatic', 'Automatic'],
    ['manual', 'Manual'],
    ['tiptronic', 'Tiptronic'],
    ['cvt', 'CVT'],
  ],
  KEY_FACT,
);

const bedrooms = integer('bedrooms', 'Bedrooms', {
  min: 0,
  max: 50,
  required: true,
  ...FILTER,
  shownInCard: true,
});
const bathrooms = integer('bathrooms', 'Bathrooms', { min: 0, max: 50, ...FILTER, shownInCard: true });
const floorAreaSqft = integer('floorAreaSqft', 'Floor area', {
  unit: 'sqft',
  min: 50,
  max: 1000000,
  ...FILTER,
});
const landSizePerches = decimal('landSizePerches', 'Land size', {
  unit: 'perches',
  min: 0,
  max: 1000000,
  scale: 2,
  ...FILTER,
  shownInCard: true,
  help: 'One perch is about 25.3 square metres (272.25 sq ft).',
});
const furnished = enumOf(
  'furnished',
  'Furnishing',
  [
    ['unfurnished', 'Unfurnished'],
    ['semi-furnished', 'Semi-furnished'],
    ['fully-furnished', 'Fully furnished'],
  ],
  FILTER,
);
const amenities = multiEnumOf(
  'amenities',
  'Amenities',
  [
    ['parking', 'Parking'],
    ['pool', 'Swimming pool'],
    ['gym', 'Gym'],
    ['garden', 'Garden'],
    ['security', '24-hour security'],
    ['air-conditioning', 'Air conditioning'],
    ['lift', 'Lift'],
    ['balcony', 'Balcony'],
  ],
  FILTER,
);
const minimumLeaseMonths = integer('minimumLeaseMonths', 'Minimum lease', {
  unit: 'months',
  min: 1,
  max: 120,
});

const ramGb = integer('ramGb', 'RAM', { unit: 'GB', min: 1, max: 1024, ...FILTER });
const storageGb = integer('storageGb', 'Storage', {
  unit: 'GB',
  min: 1,
  max: 100000,
  ...FILTER,
  shownInCard: true,
});
const processor = text('processor', 'Processor', {
  maxLength: 120,
  help: 'For example Intel Core i5-1235U.',
});
const screenInches = decimal('screenInches', 'Screen size', {
  unit: 'in',
  min: 1,
  max: 120,
  scale: 1,
  ...FILTER,
});

const computerBrands: OptionSpec[] = [
  ['apple', 'Apple'],
  ['dell', 'Dell'],
  ['hp', 'HP'],
  ['lenovo', 'Lenovo'],
  ['asus', 'ASUS'],
  ['acer', 'Acer'],
  ['msi', 'MSI'],
  ['microsoft', 'Microsoft'],
  ['samsung', 'Samsung'],
  ['huawei', 'Huawei'],
  ['other', 'Other'],
];

const gender = enumOf(
  'gender',
  'For',
  [
    ['men', 'Men'],
    ['women', 'Women'],
    ['unisex', 'Unisex'],
    ['boys', 'Boys'],
    ['girls', 'Girls'],
  ],
  FILTER,
);
const clothingSize = enumOf(
  'size',
  'Size',
  [
    ['xs', 'XS'],
    ['s', 'S'],
    ['m', 'M'],
    ['l', 'L'],
    ['xl', 'XL'],
    ['xxl', 'XXL'],
    ['xxxl', 'XXXL'],
    ['one-size', 'One size'],
  ],
  { ...FILTER, shownInCard: true },
);

const pricingModel = enumOf(
  'pricingModel',
  'Pricing',
  [
    ['free', 'Free'],
    ['freemium', 'Freemium'],
    ['paid', 'Paid'],
    ['subscription', 'Subscription'],
    ['open-source', 'Open source'],
  ],
  { required: true, ...FILTER, shownInCard: true },
);
const platforms = multiEnumOf(
  'platforms',
  'Platforms',
  [
    ['web', 'Web'],
    ['ios', 'iOS'],
    ['android', 'Android'],
    ['macos', 'macOS'],
    ['windows', 'Windows'],
    ['linux', 'Linux'],
  ],
  { required: true, ...FILTER, shownInCard: true },
);

// ---------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------

const vehicles: DemoCategory = {
  slug: 'vehicles',
  name: 'Vehicles',
  icon: '🚗',
  description: 'Cars, motorcycles, vans, commercial vehicles, and parts.',
  attributes: [
    integer('year', 'Year of manufacture', { min: 1950, max: 2027, ...KEY_FACT }),
    integer('mileageKm', 'Mileage', { unit: 'km', min: 0, max: 2000000, ...KEY_FACT }),
    enumOf(
      'fuel',
      'Fuel type',
      [
        ['petrol', 'Petrol'],
        ['diesel', 'Diesel'],
        ['hybrid', 'Hybrid'],
        ['electric', 'Electric'],
        ['lpg', 'LPG'],
        ['cng', 'CNG'],
        ['plug-in-hybrid', 'Plug-in hybrid'],
      ],
      KEY_FACT,
    ),
    enumOf(
      'colour',
      'Colour',
      [
        ['black', 'Black'],
        ['white', 'White'],
        ['pearl-white', 'Pearl white'],
        ['silver', 'Silver'],
        ['grey', 'Grey'],
        ['red', 'Red'],
        ['maroon', 'Maroon'],
        ['blue', 'Blue'],
        ['green', 'Green'],
        ['yellow', 'Yellow'],
        ['orange', 'Orange'],
        ['brown', 'Brown'],
        ['beige', 'Beige'],
        ['gold', 'Gold'],
        ['other', 'Other'],
      ],
      FILTER,
    ),
    enumOf(
      'condition',
      'Condition',
      [
        ['brand-new', 'Brand new'],
        ['reconditioned', 'Reconditioned'],
        ['used', 'Used'],
      ],
      { required: true, ...FILTER },
    ),
  ],
  children: [
    {
      slug: 'cars',
      name: 'Cars',
      icon: '🚙',
      description: 'Sedans, hatchbacks, SUVs, and pickups.',
      attributes: [
        ...makeAndModel(carMakes),
        transmission,
        enumOf(
          'bodyType',
          'Body type',
          [
            ['sedan', 'Sedan'],
            ['hatchback', 'Hatchback'],
            ['suv', 'SUV'],
            ['coupe', 'Coupé'],
            ['convertible', 'Convertible'],
            ['station-wagon', 'Station wagon'],
            ['pickup', 'Pickup'],
            ['mpv', 'MPV'],
            ['crossover', 'Crossover'],
          ],
          FILTER,
        ),
        engineCc,
        integer('seats', 'Seats', { min: 1, max: 12 }),
        boolean('registered', 'Registered', { ...FILTER, help: 'Registered locally (not a fresh import).' }),
      ],
    },
    {
      slug: 'motorcycles',
      name: 'Motorcycles',
      icon: '🏍️',
      description: 'Motorcycles and scooters.',
      attributes: [
        ...makeAndModel(motorcycleMakes),
        engineCc,
        enumOf(
          'bikeType',
          'Type',
          [
            ['scooter', 'Scooter'],
            ['commuter', 'Commuter'],
            ['sport', 'Sport'],
            ['cruiser', 'Cruiser'],
            ['off-road', 'Off-road'],
            ['touring', 'Touring'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'vans',
      name: 'Vans',
      icon: '🚐',
      description: 'Passenger vans, minibuses, and panel vans.',
      attributes: [
        ...makeAndModel(vanMakes),
        transmission,
        engineCc,
        integer('seats', 'Seats', { min: 1, max: 30, ...FILTER }),
      ],
    },
    {
      slug: 'three-wheelers',
      name: 'Three Wheelers',
      icon: '🛺',
      description: 'Auto rickshaws (tuk-tuks) and three-wheeled goods carriers.',
      attributes: [
        enumOf(
          'make',
          'Make',
          [
            ['bajaj', 'Bajaj'],
            ['tvs', 'TVS'],
            ['piaggio', 'Piaggio'],
            ['mahindra', 'Mahindra'],
            ['atul', 'Atul'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'strokeType',
          'Engine',
          [
            ['2-stroke', '2-stroke'],
            ['4-stroke', '4-stroke'],
          ],
          FILTER,
        ),
        enumOf(
          'usage',
          'Body',
          [
            ['passenger', 'Passenger'],
            ['goods', 'Goods carrier'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'lorries-trucks',
      name: 'Lorries & Trucks',
      icon: '🚚',
      description: 'Light trucks, lorries, tippers, and prime movers.',
      attributes: [
        enumOf(
          'make',
          'Make',
          [
            ['isuzu', 'Isuzu'],
            ['tata', 'Tata'],
            ['ashok-leyland', 'Ashok Leyland'],
            ['mitsubishi-fuso', 'Mitsubishi Fuso'],
            ['hino', 'Hino'],
            ['eicher', 'Eicher'],
            ['mahindra', 'Mahindra'],
            ['toyota', 'Toyota'],
            ['mercedes-benz', 'Mercedes-Benz'],
            ['volvo', 'Volvo'],
            ['man', 'MAN'],
            ['scania', 'Scania'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'truckBody',
          'Body',
          [
            ['flatbed', 'Flatbed'],
            ['box', 'Box / closed body'],
            ['tipper', 'Tipper'],
            ['freezer', 'Freezer'],
            ['tanker', 'Tanker'],
            ['crew-cab', 'Crew cab'],
            ['prime-mover', 'Prime mover'],
          ],
          FILTER,
        ),
        integer('payloadKg', 'Payload', { unit: 'kg', min: 100, max: 60000, ...FILTER, shownInCard: true }),
        enumOf(
          'transmission',
          'Transmission',
          [
            ['manual', 'Manual'],
            ['automatic', 'Automatic'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'buses',
      name: 'Buses',
      icon: '🚌',
      description: 'Buses and large coaches.',
      attributes: [
        enumOf(
          'make',
          'Make',
          [
            ['ashok-leyland', 'Ashok Leyland'],
            ['tata', 'Tata'],
            ['isuzu', 'Isuzu'],
            ['toyota', 'Toyota'],
            ['mitsubishi-fuso', 'Mitsubishi Fuso'],
            ['hino', 'Hino'],
            ['mercedes-benz', 'Mercedes-Benz'],
            ['volvo', 'Volvo'],
            ['king-long', 'King Long'],
            ['yutong', 'Yutong'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        integer('seats', 'Seats', { min: 10, max: 100, ...FILTER, shownInCard: true }),
        boolean('airConditioned', 'Air conditioned', FILTER),
      ],
    },
    {
      slug: 'auto-parts-accessories',
      name: 'Auto Parts & Accessories',
      icon: '🔩',
      description: 'Spare parts, tyres, and accessories for any vehicle.',
      attributes: [
        // Relax the vehicle attributes inherited from Vehicles: a part has no mileage of its own.
        integer('year', 'Fits year', { min: 1950, max: 2027, help: 'Model year of the vehicle it fits.' }),
        integer('mileageKm', 'Mileage of the donor vehicle', { unit: 'km', min: 0, max: 2000000 }),
        enumOf(
          'fuel',
          'Fits fuel type',
          [
            ['petrol', 'Petrol'],
            ['diesel', 'Diesel'],
            ['hybrid', 'Hybrid'],
            ['electric', 'Electric'],
            ['any', 'Any'],
          ],
          FILTER,
        ),
        enumOf(
          'condition',
          'Condition',
          [
            ['new', 'New'],
            ['used', 'Used'],
            ['reconditioned', 'Reconditioned'],
          ],
          { required: true, ...FILTER, shownInCard: true },
        ),
        enumOf(
          'partType',
          'Part type',
          [
            ['engine-parts', 'Engine parts'],
            ['body-parts', 'Body parts'],
            ['tyres-wheels', 'Tyres & wheels'],
            ['electrical', 'Electrical'],
            ['lighting', 'Lighting'],
            ['brakes-suspension', 'Brakes & suspension'],
            ['interior', 'Interior'],
            ['audio-navigation', 'Audio & navigation'],
            ['filters-fluids', 'Filters & fluids'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        text('fitsVehicle', 'Fits vehicle', {
          maxLength: 200,
          help: 'Make and model it fits, e.g. Toyota Aqua.',
        }),
      ],
    },
  ],
};

const property: DemoCategory = {
  slug: 'property',
  name: 'Property',
  icon: '🏠',
  description: 'Houses, apartments, land, and commercial property for sale or rent.',
  children: [
    {
      slug: 'houses-for-sale',
      name: 'Houses for Sale',
      icon: '🏡',
      attributes: [bedrooms, bathrooms, floorAreaSqft, landSizePerches, furnished, amenities],
    },
    {
      slug: 'houses-for-rent',
      name: 'Houses for Rent',
      icon: '🏘️',
      attributes: [bedrooms, bathrooms, floorAreaSqft, furnished, amenities, minimumLeaseMonths],
    },
    {
      slug: 'apartments-for-sale',
      name: 'Apartments for Sale',
      icon: '🏢',
      attributes: [
        bedrooms,
        bathrooms,
        floorAreaSqft,
        integer('floorNumber', 'Floor', { min: 0, max: 200 }),
        furnished,
        amenities,
      ],
    },
    {
      slug: 'apartments-for-rent',
      name: 'Apartments for Rent',
      icon: '🏬',
      attributes: [bedrooms, bathrooms, floorAreaSqft, furnished, amenities, minimumLeaseMonths],
    },
    {
      slug: 'land',
      name: 'Land',
      icon: '🌳',
      attributes: [
        { ...landSizePerches, required: true },
        enumOf(
          'landType',
          'Land type',
          [
            ['residential', 'Residential'],
            ['commercial', 'Commercial'],
            ['agricultural', 'Agricultural'],
            ['plantation', 'Plantation (tea, rubber, coconut)'],
            ['beachfront', 'Beachfront'],
            ['bare-land', 'Bare land'],
          ],
          { ...FILTER, shownInCard: true },
        ),
        boolean('clearDeed', 'Clear title deed', FILTER),
      ],
    },
    {
      slug: 'commercial-property',
      name: 'Commercial Property',
      icon: '🏭',
      attributes: [
        enumOf(
          'propertyType',
          'Property type',
          [
            ['office', 'Office'],
            ['shop', 'Shop'],
            ['showroom', 'Showroom'],
            ['warehouse', 'Warehouse'],
            ['factory', 'Factory'],
            ['hotel-guesthouse', 'Hotel / guesthouse'],
            ['building', 'Whole building'],
          ],
          KEY_FACT,
        ),
        floorAreaSqft,
        integer('parkingSpaces', 'Parking spaces', { min: 0, max: 10000 }),
        enumOf(
          'offerType',
          'Offer',
          [
            ['sale', 'For sale'],
            ['rent', 'For rent'],
          ],
          { required: true, ...FILTER },
        ),
      ],
    },
  ],
};

const electronics: DemoCategory = {
  slug: 'electronics',
  name: 'Electronics',
  icon: '🔌',
  description: 'Phones, computers, TVs, cameras, audio, and gaming.',
  attributes: [
    enumOf(
      'condition',
      'Condition',
      [
        ['brand-new', 'Brand new'],
        ['used', 'Used'],
        ['refurbished', 'Refurbished'],
      ],
      KEY_FACT,
    ),
  ],
  children: [
    {
      slug: 'mobile-phones',
      name: 'Mobile Phones',
      icon: '📱',
      attributes: [
        enumOf(
          'brand',
          'Brand',
          [
            ['apple', 'Apple'],
            ['samsung', 'Samsung'],
            ['xiaomi', 'Xiaomi'],
            ['huawei', 'Huawei'],
            ['honor', 'Honor'],
            ['oppo', 'OPPO'],
            ['vivo', 'vivo'],
            ['realme', 'realme'],
            ['oneplus', 'OnePlus'],
            ['google', 'Google'],
            ['nokia', 'Nokia'],
            ['motorola', 'Motorola'],
            ['sony', 'Sony'],
            ['nothing', 'Nothing'],
            ['infinix', 'Infinix'],
            ['tecno', 'Tecno'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        storageGb,
        ramGb,
        boolean('dualSim', 'Dual SIM', FILTER),
      ],
    },
    {
      slug: 'computers',
      name: 'Computers',
      icon: '🖥️',
      description: 'Laptops, desktops, tablets, and accessories.',
      children: [
        {
          slug: 'laptops',
          name: 'Laptops',
          icon: '💻',
          attributes: [
            enumOf('brand', 'Brand', computerBrands, KEY_FACT),
            processor,
            ramGb,
            storageGb,
            screenInches,
          ],
        },
        {
          slug: 'desktops',
          name: 'Desktops',
          icon: '🖥️',
          attributes: [
            enumOf(
              'brand',
              'Brand',
              [...computerBrands.slice(0, -1), ['custom-built', 'Custom built'], ['other', 'Other']],
              KEY_FACT,
            ),
            processor,
            ramGb,
            storageGb,
            enumOf(
              'formFactor',
              'Form factor',
              [
                ['tower', 'Tower'],
                ['mini-pc', 'Mini PC'],
                ['all-in-one', 'All-in-one'],
                ['workstation', 'Workstation'],
              ],
              FILTER,
            ),
          ],
        },
        {
          slug: 'tablets',
          name: 'Tablets',
          icon: '📱',
          attributes: [
            enumOf(
              'brand',
              'Brand',
              [
                ['apple', 'Apple'],
                ['samsung', 'Samsung'],
                ['lenovo', 'Lenovo'],
                ['huawei', 'Huawei'],
                ['xiaomi', 'Xiaomi'],
                ['microsoft', 'Microsoft'],
                ['amazon', 'Amazon'],
                ['other', 'Other'],
              ],
              KEY_FACT,
            ),
            storageGb,
            ramGb,
            screenInches,
            boolean('cellular', 'Cellular (SIM)', FILTER),
          ],
        },
        {
          slug: 'computer-accessories',
          name: 'Computer Accessories',
          icon: '🖱️',
          attributes: [
            enumOf(
              'accessoryType',
              'Type',
              [
                ['monitor', 'Monitor'],
                ['keyboard-mouse', 'Keyboard & mouse'],
                ['printer-scanner', 'Printer & scanner'],
                ['storage', 'Storage drive'],
                ['networking', 'Networking'],
                ['components', 'Components'],
                ['ups-power', 'UPS & power'],
                ['other', 'Other'],
              ],
              KEY_FACT,
            ),
          ],
        },
      ],
    },
    {
      slug: 'tvs',
      name: 'TVs',
      icon: '📺',
      attributes: [
        enumOf(
          'brand',
          'Brand',
          [
            ['samsung', 'Samsung'],
            ['lg', 'LG'],
            ['sony', 'Sony'],
            ['tcl', 'TCL'],
            ['hisense', 'Hisense'],
            ['panasonic', 'Panasonic'],
            ['philips', 'Philips'],
            ['sharp', 'Sharp'],
            ['xiaomi', 'Xiaomi'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        { ...screenInches, shownInCard: true },
        enumOf(
          'displayType',
          'Display',
          [
            ['led', 'LED'],
            ['qled', 'QLED'],
            ['oled', 'OLED'],
            ['mini-led', 'Mini LED'],
            ['lcd', 'LCD'],
          ],
          FILTER,
        ),
        enumOf(
          'resolution',
          'Resolution',
          [
            ['hd', 'HD'],
            ['full-hd', 'Full HD'],
            ['4k-uhd', '4K UHD'],
            ['8k', '8K'],
          ],
          FILTER,
        ),
        boolean('smartTv', 'Smart TV', FILTER),
      ],
    },
    {
      slug: 'cameras',
      name: 'Cameras',
      icon: '📷',
      attributes: [
        enumOf(
          'brand',
          'Brand',
          [
            ['canon', 'Canon'],
            ['nikon', 'Nikon'],
            ['sony', 'Sony'],
            ['fujifilm', 'Fujifilm'],
            ['panasonic', 'Panasonic'],
            ['om-system', 'OM System (Olympus)'],
            ['leica', 'Leica'],
            ['gopro', 'GoPro'],
            ['dji', 'DJI'],
            ['other', 'Other'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'cameraType',
          'Type',
          [
            ['dslr', 'DSLR'],
            ['mirrorless', 'Mirrorless'],
            ['compact', 'Compact'],
            ['action', 'Action camera'],
            ['drone', 'Drone'],
            ['film', 'Film camera'],
            ['lens', 'Lens'],
          ],
          FILTER,
        ),
        integer('megapixels', 'Resolution', { unit: 'MP', min: 1, max: 200 }),
      ],
    },
    {
      slug: 'audio',
      name: 'Audio',
      icon: '🎧',
      attributes: [
        enumOf(
          'audioType',
          'Type',
          [
            ['headphones', 'Headphones'],
            ['earbuds', 'Earbuds'],
            ['speakers', 'Speakers'],
            ['soundbar', 'Soundbar'],
            ['home-theatre', 'Home theatre'],
            ['amplifier', 'Amplifier'],
            ['turntable', 'Turntable'],
            ['microphone', 'Microphone'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'brand',
          'Brand',
          [
            ['sony', 'Sony'],
            ['bose', 'Bose'],
            ['jbl', 'JBL'],
            ['apple', 'Apple'],
            ['samsung', 'Samsung'],
            ['sennheiser', 'Sennheiser'],
            ['marshall', 'Marshall'],
            ['yamaha', 'Yamaha'],
            ['pioneer', 'Pioneer'],
            ['anker', 'Anker'],
            ['other', 'Other'],
          ],
          FILTER,
        ),
        boolean('wireless', 'Wireless', FILTER),
      ],
    },
    {
      slug: 'video-games-consoles',
      name: 'Video Games & Consoles',
      icon: '🎮',
      attributes: [
        enumOf(
          'platform',
          'Platform',
          [
            ['playstation-5', 'PlayStation 5'],
            ['playstation-4', 'PlayStation 4'],
            ['xbox-series', 'Xbox Series X|S'],
            ['xbox-one', 'Xbox One'],
            ['nintendo-switch', 'Nintendo Switch'],
            ['pc', 'PC'],
            ['retro', 'Retro'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'itemType',
          'Item',
          [
            ['console', 'Console'],
            ['game', 'Game'],
            ['controller', 'Controller'],
            ['accessory', 'Accessory'],
          ],
          FILTER,
        ),
      ],
    },
  ],
};

const homeAndGarden: DemoCategory = {
  slug: 'home-garden',
  name: 'Home & Garden',
  icon: '🛋️',
  description: 'Furniture, appliances, kitchenware, décor, garden, and tools.',
  attributes: [
    enumOf(
      'condition',
      'Condition',
      [
        ['new', 'New'],
        ['like-new', 'Like new'],
        ['used', 'Used'],
      ],
      { required: true, ...FILTER },
    ),
  ],
  children: [
    {
      slug: 'furniture',
      name: 'Furniture',
      icon: '🪑',
      attributes: [
        enumOf(
          'furnitureType',
          'Type',
          [
            ['sofa', 'Sofa'],
            ['bed', 'Bed'],
            ['wardrobe', 'Wardrobe'],
            ['dining-set', 'Dining set'],
            ['table', 'Table'],
            ['chair', 'Chair'],
            ['desk', 'Desk'],
            ['storage', 'Storage'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'material',
          'Material',
          [
            ['wood', 'Wood'],
            ['metal', 'Metal'],
            ['glass', 'Glass'],
            ['plastic', 'Plastic'],
            ['rattan', 'Rattan'],
            ['fabric', 'Fabric'],
            ['leather', 'Leather'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'home-appliances',
      name: 'Home Appliances',
      icon: '🧺',
      attributes: [
        enumOf(
          'applianceType',
          'Type',
          [
            ['refrigerator', 'Refrigerator'],
            ['washing-machine', 'Washing machine'],
            ['air-conditioner', 'Air conditioner'],
            ['microwave', 'Microwave'],
            ['cooker-oven', 'Cooker & oven'],
            ['vacuum-cleaner', 'Vacuum cleaner'],
            ['water-heater', 'Water heater'],
            ['fan', 'Fan'],
          ],
          KEY_FACT,
        ),
        enumOf(
          'brand',
          'Brand',
          [
            ['samsung', 'Samsung'],
            ['lg', 'LG'],
            ['panasonic', 'Panasonic'],
            ['whirlpool', 'Whirlpool'],
            ['bosch', 'Bosch'],
            ['haier', 'Haier'],
            ['hitachi', 'Hitachi'],
            ['sharp', 'Sharp'],
            ['singer', 'Singer'],
            ['other', 'Other'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'kitchen-dining',
      name: 'Kitchen & Dining',
      icon: '🍳',
      attributes: [
        enumOf(
          'itemType',
          'Item',
          [
            ['cookware', 'Cookware'],
            ['small-appliances', 'Small appliances'],
            ['dinnerware', 'Dinnerware'],
            ['cutlery', 'Cutlery'],
            ['storage', 'Food storage'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'home-decor',
      name: 'Home Décor',
      icon: '🖼️',
      attributes: [
        enumOf(
          'itemType',
          'Item',
          [
            ['lighting', 'Lighting'],
            ['rugs-carpets', 'Rugs & carpets'],
            ['curtains-blinds', 'Curtains & blinds'],
            ['wall-art', 'Wall art'],
            ['mirrors', 'Mirrors'],
            ['clocks', 'Clocks'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'garden-outdoor',
      name: 'Garden & Outdoor',
      icon: '🌱',
      attributes: [
        enumOf(
          'itemType',
          'Item',
          [
            ['plants', 'Plants'],
            ['seeds', 'Seeds'],
            ['pots-planters', 'Pots & planters'],
            ['garden-tools', 'Garden tools'],
            ['outdoor-furniture', 'Outdoor furniture'],
            ['bbq-grills', 'BBQ & grills'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'tools-diy',
      name: 'Tools & DIY',
      icon: '🔧',
      attributes: [
        enumOf(
          'toolType',
          'Type',
          [
            ['power-tools', 'Power tools'],
            ['hand-tools', 'Hand tools'],
            ['generators', 'Generators'],
            ['ladders', 'Ladders'],
            ['welding', 'Welding'],
          ],
          FILTER,
        ),
        enumOf(
          'powerSource',
          'Power source',
          [
            ['corded-electric', 'Corded electric'],
            ['cordless', 'Cordless (battery)'],
            ['petrol', 'Petrol'],
            ['manual', 'Manual'],
          ],
          FILTER,
        ),
      ],
    },
  ],
};

const fashion: DemoCategory = {
  slug: 'fashion',
  name: 'Fashion',
  icon: '👗',
  description: 'Clothing, shoes, bags, watches, and jewellery.',
  attributes: [
    enumOf(
      'condition',
      'Condition',
      [
        ['new-with-tags', 'New with tags'],
        ['new-without-tags', 'New without tags'],
        ['used', 'Used'],
      ],
      { required: true, ...FILTER },
    ),
  ],
  children: [
    {
      slug: 'clothing',
      name: 'Clothing',
      icon: '👕',
      attributes: [
        clothingSize,
        gender,
        enumOf(
          'clothingType',
          'Type',
          [
            ['tops-shirts', 'Tops & shirts'],
            ['trousers-jeans', 'Trousers & jeans'],
            ['dresses-skirts', 'Dresses & skirts'],
            ['jackets-coats', 'Jackets & coats'],
            ['suits', 'Suits'],
            ['sportswear', 'Sportswear'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'traditional-wear',
      name: 'Traditional Wear',
      icon: '🥻',
      attributes: [
        enumOf(
          'garmentType',
          'Garment',
          [
            ['saree', 'Saree'],
            ['osariya', 'Osariya'],
            ['sarong', 'Sarong'],
            ['salwar-kameez', 'Salwar kameez'],
            ['kurta', 'Kurta'],
            ['abaya', 'Abaya'],
            ['thobe', 'Thobe / kandura'],
          ],
          KEY_FACT,
        ),
        clothingSize,
        gender,
      ],
    },
    {
      slug: 'shoes',
      name: 'Shoes',
      icon: '👟',
      attributes: [
        integer('shoeSizeEu', 'Size (EU)', { min: 15, max: 50, ...FILTER, shownInCard: true }),
        gender,
      ],
    },
    {
      slug: 'bags-accessories',
      name: 'Bags & Accessories',
      icon: '👜',
      attributes: [
        enumOf(
          'itemType',
          'Item',
          [
            ['handbags', 'Handbags'],
            ['backpacks', 'Backpacks'],
            ['wallets', 'Wallets'],
            ['belts', 'Belts'],
            ['sunglasses', 'Sunglasses'],
            ['hats-caps', 'Hats & caps'],
            ['scarves', 'Scarves'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'watches',
      name: 'Watches',
      icon: '⌚',
      attributes: [
        enumOf(
          'brand',
          'Brand',
          [
            ['rolex', 'Rolex'],
            ['omega', 'Omega'],
            ['tag-heuer', 'TAG Heuer'],
            ['tissot', 'Tissot'],
            ['seiko', 'Seiko'],
            ['citizen', 'Citizen'],
            ['casio', 'Casio'],
            ['fossil', 'Fossil'],
            ['apple', 'Apple'],
            ['samsung', 'Samsung'],
            ['garmin', 'Garmin'],
            ['other', 'Other'],
          ],
          { ...FILTER, shownInCard: true },
        ),
        enumOf(
          'movement',
          'Movement',
          [
            ['automatic', 'Automatic'],
            ['mechanical', 'Manual wind'],
            ['quartz', 'Quartz'],
            ['smartwatch', 'Smartwatch'],
          ],
          FILTER,
        ),
        gender,
      ],
    },
    {
      slug: 'jewellery',
      name: 'Jewellery',
      icon: '💍',
      attributes: [
        enumOf(
          'itemType',
          'Item',
          [
            ['rings', 'Rings'],
            ['necklaces-chains', 'Necklaces & chains'],
            ['bracelets-bangles', 'Bracelets & bangles'],
            ['earrings', 'Earrings'],
            ['sets', 'Sets'],
          ],
          FILTER,
        ),
        enumOf(
          'material',
          'Material',
          [
            ['gold', 'Gold'],
            ['white-gold', 'White gold'],
            ['silver', 'Silver'],
            ['platinum', 'Platinum'],
            ['fashion', 'Fashion jewellery'],
          ],
          FILTER,
        ),
        enumOf(
          'goldKarat',
          'Gold purity',
          [
            ['18k', '18K'],
            ['21k', '21K'],
            ['22k', '22K'],
            ['24k', '24K'],
          ],
          FILTER,
        ),
        decimal('weightGrams', 'Weight', { unit: 'g', min: 0, max: 10000, scale: 2 }),
      ],
    },
  ],
};

const collectibles: DemoCategory = {
  slug: 'collectibles',
  name: 'Collectibles',
  icon: '🏆',
  description: 'Coins, stamps, antiques, art, cards, and figures.',
  attributes: [
    enumOf(
      'condition',
      'Condition',
      [
        ['mint', 'Mint'],
        ['excellent', 'Excellent'],
        ['good', 'Good'],
        ['fair', 'Fair'],
        ['poor', 'Poor'],
      ],
      FILTER,
    ),
  ],
  children: [
    {
      slug: 'coins-banknotes',
      name: 'Coins & Banknotes',
      icon: '🪙',
      attributes: [
        enumOf(
          'itemType',
          'Item',
          [
            ['coin', 'Coin'],
            ['banknote', 'Banknote'],
            ['set', 'Set'],
          ],
          FILTER,
        ),
        text('country', 'Country', { maxLength: 80, ...FILTER }),
        integer('year', 'Year', { min: 1, max: 2027, ...FILTER }),
      ],
    },
    {
      slug: 'stamps',
      name: 'Stamps',
      icon: '📮',
      attributes: [
        text('country', 'Country', { maxLength: 80, ...FILTER }),
        enumOf(
          'format',
          'Format',
          [
            ['single', 'Single stamp'],
            ['block', 'Block'],
            ['sheet', 'Sheet'],
            ['first-day-cover', 'First day cover'],
            ['album', 'Album / collection'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'antiques',
      name: 'Antiques',
      icon: '🏺',
      attributes: [
        enumOf(
          'era',
          'Era',
          [
            ['before-1800', 'Before 1800'],
            ['1800-1899', '1800–1899'],
            ['1900-1949', '1900–1949'],
            ['1950-1979', '1950–1979'],
          ],
          FILTER,
        ),
        enumOf(
          'material',
          'Material',
          [
            ['wood', 'Wood'],
            ['brass-bronze', 'Brass & bronze'],
            ['silver', 'Silver'],
            ['porcelain-ceramic', 'Porcelain & ceramic'],
            ['glass', 'Glass'],
            ['textile', 'Textile'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'art',
      name: 'Art',
      icon: '🎨',
      attributes: [
        enumOf(
          'medium',
          'Medium',
          [
            ['oil', 'Oil'],
            ['acrylic', 'Acrylic'],
            ['watercolour', 'Watercolour'],
            ['print', 'Print'],
            ['photography', 'Photography'],
            ['sculpture', 'Sculpture'],
            ['mixed-media', 'Mixed media'],
          ],
          { ...FILTER, shownInCard: true },
        ),
        text('artist', 'Artist', { maxLength: 120 }),
        boolean('framed', 'Framed', FILTER),
      ],
    },
    {
      slug: 'trading-cards',
      name: 'Trading Cards',
      icon: '🃏',
      attributes: [
        enumOf(
          'game',
          'Game',
          [
            ['pokemon', 'Pokémon'],
            ['magic-the-gathering', 'Magic: The Gathering'],
            ['yu-gi-oh', 'Yu-Gi-Oh!'],
            ['sports', 'Sports cards'],
            ['other', 'Other'],
          ],
          { ...FILTER, shownInCard: true },
        ),
        boolean('graded', 'Professionally graded', FILTER),
      ],
    },
    {
      slug: 'toys-figures',
      name: 'Toys & Figures',
      icon: '🧸',
      attributes: [
        text('brand', 'Brand', { maxLength: 80 }),
        boolean('inOriginalBox', 'In original box', FILTER),
      ],
    },
  ],
};

const services: DemoCategory = {
  slug: 'services',
  name: 'Services',
  icon: '🧰',
  description: 'Local professionals and businesses offering their services.',
  attributes: [
    text('serviceArea', 'Service area', {
      maxLength: 200,
      required: true,
      shownInCard: true,
      help: 'Towns or districts you cover.',
    }),
  ],
  children: [
    {
      slug: 'home-repair-maintenance',
      name: 'Home Repair & Maintenance',
      icon: '🔨',
      attributes: [
        enumOf(
          'serviceType',
          'Service',
          [
            ['plumbing', 'Plumbing'],
            ['electrical', 'Electrical'],
            ['carpentry', 'Carpentry'],
            ['painting', 'Painting'],
            ['masonry', 'Masonry'],
            ['roofing', 'Roofing'],
            ['ac-repair', 'Air conditioner repair'],
            ['appliance-repair', 'Appliance repair'],
          ],
          KEY_FACT,
        ),
        boolean('emergencyCallouts', 'Emergency call-outs', FILTER),
      ],
    },
    {
      slug: 'cleaning',
      name: 'Cleaning',
      icon: '🧹',
      attributes: [
        enumOf(
          'serviceType',
          'Service',
          [
            ['home', 'Home cleaning'],
            ['office', 'Office cleaning'],
            ['deep-cleaning', 'Deep cleaning'],
            ['carpet-upholstery', 'Carpet & upholstery'],
            ['pest-control', 'Pest control'],
          ],
          KEY_FACT,
        ),
      ],
    },
    {
      slug: 'moving-transport',
      name: 'Moving & Transport',
      icon: '📦',
      attributes: [
        enumOf(
          'serviceType',
          'Service',
          [
            ['house-moving', 'House moving'],
            ['office-moving', 'Office moving'],
            ['goods-transport', 'Goods transport'],
            ['vehicle-towing', 'Vehicle towing'],
            ['airport-transfers', 'Airport transfers'],
          ],
          KEY_FACT,
        ),
      ],
    },
    {
      slug: 'tutoring-lessons',
      name: 'Tutoring & Lessons',
      icon: '📚',
      attributes: [
        text('subject', 'Subject', { maxLength: 120, required: true, shownInCard: true }),
        enumOf(
          'lessonMode',
          'Lessons',
          [
            ['online', 'Online'],
            ['in-person', 'In person'],
            ['online-and-in-person', 'Online and in person'],
          ],
          FILTER,
        ),
        enumOf(
          'level',
          'Level',
          [
            ['primary', 'Primary'],
            ['secondary', 'Secondary (O/L, GCSE)'],
            ['advanced', 'Advanced (A/L, IB)'],
            ['university', 'University'],
            ['adult', 'Adult & hobby'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'events-catering',
      name: 'Events & Catering',
      icon: '🎉',
      attributes: [
        enumOf(
          'serviceType',
          'Service',
          [
            ['catering', 'Catering'],
            ['photography-videography', 'Photography & videography'],
            ['decoration', 'Decoration'],
            ['dj-music', 'DJ & music'],
            ['venue', 'Venue'],
            ['wedding-planning', 'Wedding planning'],
          ],
          KEY_FACT,
        ),
      ],
    },
    {
      slug: 'health-beauty',
      name: 'Health & Beauty',
      icon: '💇',
      attributes: [
        enumOf(
          'serviceType',
          'Service',
          [
            ['hair', 'Hair'],
            ['makeup', 'Makeup'],
            ['nails', 'Nails'],
            ['spa-massage', 'Spa & massage'],
            ['fitness-training', 'Fitness training'],
          ],
          KEY_FACT,
        ),
        boolean('homeVisits', 'Home visits', FILTER),
      ],
    },
    {
      slug: 'it-digital-services',
      name: 'IT & Digital Services',
      icon: '🌐',
      attributes: [
        enumOf(
          'serviceType',
          'Service',
          [
            ['web-development', 'Web development'],
            ['app-development', 'App development'],
            ['graphic-design', 'Graphic design'],
            ['digital-marketing', 'Digital marketing'],
            ['computer-repair', 'Computer repair'],
          ],
          KEY_FACT,
        ),
      ],
    },
  ],
};

const showcase: DemoCategory = {
  slug: 'showcase',
  name: 'Showcase',
  icon: '🚀',
  description: 'New products and apps, presented by the people who make them.',
  attributes: [
    text('website', 'Website', { maxLength: 300, required: true, help: 'Link to the product page.' }),
  ],
  children: [
    {
      slug: 'apps',
      name: 'Apps',
      icon: '📲',
      attributes: [platforms, pricingModel],
    },
    {
      slug: 'hardware-products',
      name: 'Hardware Products',
      icon: '🔌',
      attributes: [
        enumOf(
          'stage',
          'Stage',
          [
            ['prototype', 'Prototype'],
            ['crowdfunding', 'Crowdfunding'],
            ['pre-order', 'Pre-order'],
            ['shipping', 'Shipping'],
          ],
          { required: true, ...FILTER, shownInCard: true },
        ),
        multiEnumOf(
          'connectivity',
          'Connectivity',
          [
            ['wifi', 'Wi-Fi'],
            ['bluetooth', 'Bluetooth'],
            ['usb-c', 'USB-C'],
            ['cellular', 'Cellular'],
            ['matter-thread', 'Matter / Thread'],
            ['zigbee', 'Zigbee'],
          ],
          FILTER,
        ),
        boolean('openSourceHardware', 'Open-source hardware', FILTER),
      ],
    },
    {
      slug: 'developer-tools',
      name: 'Developer Tools',
      icon: '⚙️',
      attributes: [
        platforms,
        pricingModel,
        enumOf(
          'licence',
          'Licence',
          [
            ['mit', 'MIT'],
            ['apache-2.0', 'Apache 2.0'],
            ['gpl-3.0', 'GPL 3.0'],
            ['agpl-3.0', 'AGPL 3.0'],
            ['bsd-3-clause', 'BSD 3-Clause'],
            ['proprietary', 'Proprietary'],
          ],
          FILTER,
        ),
      ],
    },
    {
      slug: 'ai-tools',
      name: 'AI Tools',
      icon: '🤖',
      attributes: [
        pricingModel,
        multiEnumOf(
          'capabilities',
          'Capabilities',
          [
            ['text', 'Text'],
            ['image', 'Image'],
            ['audio', 'Audio & speech'],
            ['video', 'Video'],
            ['code', 'Code'],
            ['agents', 'Agents & automation'],
          ],
          { ...FILTER, shownInCard: true },
        ),
        boolean('hasApi', 'Has an API', FILTER),
      ],
    },
    {
      slug: 'games',
      name: 'Games',
      icon: '🕹️',
      attributes: [
        multiEnumOf(
          'platforms',
          'Platforms',
          [
            ['web', 'Web'],
            ['ios', 'iOS'],
            ['android', 'Android'],
            ['windows', 'Windows'],
            ['macos', 'macOS'],
            ['linux', 'Linux'],
            ['playstation', 'PlayStation'],
            ['xbox', 'Xbox'],
            ['nintendo-switch', 'Nintendo Switch'],
          ],
          { required: true, ...FILTER, shownInCard: true },
        ),
        enumOf(
          'genre',
          'Genre',
          [
            ['action', 'Action'],
            ['adventure', 'Adventure'],
            ['puzzle', 'Puzzle'],
            ['strategy', 'Strategy'],
            ['simulation', 'Simulation'],
            ['sports-racing', 'Sports & racing'],
            ['rpg', 'Role-playing'],
          ],
          FILTER,
        ),
        pricingModel,
      ],
    },
  ],
};

export const demoTaxonomy: DemoCategory[] = [
  vehicles,
  property,
  electronics,
  homeAndGarden,
  fashion,
  collectibles,
  services,
  showcase,
];
