// Word lists of the synthetic extract. All fictional; phone numbers come from Ofcom's ranges
// reserved for drama (07700 900xxx, 020 7946 0xxx, 0161 496 0xxx, ...), so none is a real line.

/** Metropolitan Police CRIS borough codes (two letters). */
export const BOROUGHS = [
  'BS', 'CW', 'EK', 'FH', 'GD', 'HT', 'JC', 'JI', 'KD', 'KF', 'KG', 'LX', 'MD', 'NI', 'PL', 'PY',
  'QA', 'QK', 'RG', 'RY', 'SX', 'TW', 'TX', 'VK', 'VW', 'WW', 'XB', 'XH', 'YE', 'YR', 'ZD', 'ZT',
] as const;

/** Postcode districts (London and around). SE1/SE10, E1/E10/E11, N1/N15 make the S07 district trap. */
export const DISTRICTS = [
  'E1', 'E2', 'E3', 'E5', 'E8', 'E10', 'E11', 'E14', 'E15', 'E17', 'N1', 'N4', 'N7', 'N15', 'N17', 'N22',
  'NW1', 'NW2', 'NW5', 'NW6', 'NW10', 'SE1', 'SE5', 'SE10', 'SE11', 'SE15', 'SE18', 'SE22', 'SW1A', 'SW2',
  'SW4', 'SW9', 'SW11', 'SW17', 'SW19', 'W2', 'W3', 'W10', 'W12', 'W1D', 'WC1E', 'WC2H', 'EC1A', 'EC2M',
  'TW3', 'TW4', 'BR1', 'CR0', 'CR4', 'RM1', 'RM7', 'IG1', 'IG11', 'HA0', 'HA8', 'UB1', 'UB8', 'KT1',
  'EN1', 'DA1', 'SM1',
] as const;

/** Letters allowed in the inward code (not C I K M O V). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Values typed into POSTCODE that are not valid UK postcodes. */
export const INVALID_POSTCODES = [
  'N/K', 'NFA', 'UNKNOWN', 'SE1', 'SE19G', 'E17 4P', 'SW1A 1AAA', '0000', 'SE1 9CV', 'XX', 'E1 0',
] as const;

export const STREET_NAMES = [
  'High', 'Station', 'Church', 'Victoria', 'Park', 'London', 'Green', 'Manor', 'Kings', 'Queens', 'Mill',
  'New', 'School', 'Albert', 'Grove', 'Springfield', 'Windsor', 'Chestnut', 'Elm', 'Oak', 'Cedar',
  'Brook', 'Hill', 'Cambridge', 'Richmond', 'York', 'Stanley', 'North', 'South', 'West', 'Priory',
  'Lansdowne', 'Coldharbour', 'Brixton', 'Electric', 'Mare', 'Kingsland', 'Essex', 'Holloway', 'Seven Sisters',
  'Tottenham Court', 'Old Kent', 'Walworth', 'Peckham High', 'Rye', 'Lordship', 'Hoe', 'Forest', 'Markhouse',
  'Lea Bridge', 'Romford', 'Barking', 'Ilford', 'Uxbridge', 'Bath', 'Staines', 'Hounslow High', 'Lampton',
  'Bell', 'Whitechapel', 'Commercial', 'Cable', 'Mile End', 'Roman', 'Brick', 'Cheshire', 'Deptford High',
] as const;
export const STREET_SUFFIXES = ['Road', 'Street', 'Lane', 'Avenue', 'Close', 'Gardens', 'Way', 'Crescent', 'Place', 'Terrace'] as const;
export const LOCALITIES = [
  'Bermondsey', 'Walthamstow', 'Leyton', 'Hackney', 'Brixton', 'Peckham', 'Stratford', 'Hounslow',
  'Isleworth', 'Feltham', 'Romford', 'Hornchurch', 'Croydon', 'Thornton Heath', 'Tottenham', 'Camden Town',
  'Kentish Town', 'Deptford', 'Greenwich', 'Woolwich', 'Ilford', 'Barking', 'Southall', 'Hayes',
] as const;
export const TOWNS = ['London', 'London', 'London', 'London', 'London', 'London', 'Croydon', 'Romford', 'Ilford', 'Hounslow', 'Kingston upon Thames', 'Bromley', 'Harrow', 'Enfield'] as const;
export const PREMISES_NAMES = ['The Red Lion PH', 'Tesco Express', 'Costa Coffee', 'St Mary\'s Church Hall', 'Unit 4', 'Rear of 12', 'Community Centre', 'Bus Garage', 'Car Park Level 2', 'Café Rouge'] as const;

export const MAKES_MODELS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Ford', ['Focus', 'Fiesta', 'Transit', 'Kuga']],
  ['Vauxhall', ['Corsa', 'Astra', 'Insignia']],
  ['Volkswagen', ['Golf', 'Polo', 'Passat', 'Transporter']],
  ['BMW', ['320d', 'X5', '118i']],
  ['Mercedes-Benz', ['C220', 'A180', 'Sprinter']],
  ['Toyota', ['Prius', 'Yaris', 'Corolla']],
  ['Nissan', ['Qashqai', 'Micra', 'Juke']],
  ['Honda', ['Civic', 'Jazz', 'PCX125']],
  ['Audi', ['A3', 'A4', 'Q5']],
  ['Peugeot', ['208', '308', 'Partner']],
  ['Renault', ['Clio', 'Megane']],
  ['Kia', ['Sportage', 'Ceed']],
  ['Land Rover', ['Range Rover Sport', 'Discovery']],
  ['Yamaha', ['NMAX 125', 'Aerox']],
];
export const COLOURS = ['Black', 'Silver', 'Blue', 'White', 'Grey', 'Red', 'Green', 'Yellow', 'Orange', 'Purple', 'Gold', 'Beige'] as const;

/** Letters used in GB marks (no I, Q; prefix/suffix year letters also skip O, U, Z). */
export const VRM_LETTERS = 'ABCDEFGHJKLMNOPRSTUVWXYZ';
export const VRM_YEAR_LETTERS = 'ABCDEFGHJKLMNPRSTVWXY';

export const APOSTROPHE_SURNAMES = ["O'Brien", "O'Connor", "O'Neill", "O'Sullivan", "O'Reilly", "D'Arcy", "D'Souza", "O'Donnell", "O'Hara"] as const;
export const ACCENT_SURNAMES = ['Müller', 'González', 'López', 'Núñez', 'Brontë', 'Hébert', 'Ó Súilleabháin', 'Ó Briain', 'François', 'Gómez', 'Bénet', 'Pérez'] as const;
export const ACCENT_FORENAMES = ['José', 'Zoë', 'Chloë', 'Noël', 'Seán', 'Élodie', 'Renée', 'Siân', 'Sinéad', 'Anaïs', 'Björn', 'Inés'] as const;
export const SPACED_SURNAMES = ['De La Cruz', 'Van Der Berg', 'De Souza', 'Mc Donald', 'Da Silva', 'Le Marchant', 'St John', 'Van Dyke', 'Ap Rhys', 'Ben Ali'] as const;
export const HYPHEN_FORENAMES = ['Jean-Paul', 'Mary-Jane', 'Anne-Marie', 'Jean-Luc', 'Lily-Mae', 'Ella-Rose'] as const;

/** Words with accents that narratives use (and that mojibake damages). */
export const ACCENTED_WORDS = ['café', 'Zoë', 'José', 'naïve', 'résumé', 'Chloë', 'São Paulo', 'fiancée', 'Müller'] as const;

export const ITEMS = [
  'a mobile phone', 'a laptop', 'jewellery', 'a handbag', 'a wallet containing bank cards', 'a pedal cycle',
  'power tools', 'cash', 'a games console', 'a watch', 'a passport', 'car keys', 'a catalytic converter',
] as const;

export const CRIME_SENTENCES = [
  'Suspect forced entry via the rear door and removed {item}.',
  'Victim states that at approximately {time} an unknown male approached them on {street}.',
  'Suspect described as {build} build, wearing a {colour} hooded top and dark trousers.',
  'Property stolen: {item} valued at £{money}.',
  'CCTV requested from {premises}; footage to be reviewed by the OIC.',
  'House-to-house enquiries conducted on {street}, no witnesses found.',
  'Vehicle described as a {colour} {vehicle}, partial VRM {vrmpart}.',
  'Victim was threatened with a knife and handed over {item}.',
  'Window smashed with a brick, {item} taken from the front seat.',
  'Suspect made off on foot towards {street}.',
  'Victim declined medical treatment at scene.',
  'Forensic examination completed, SOCO ref {soco}.',
  'Suspect arrested at {time} and taken to custody.',
  'Graffiti sprayed on the shutters of {premises}.',
  'Victim reports repeated abusive messages from an ex-partner.',
  'Offender used a stolen bank card at {premises} for £{money}.',
  'No lines of enquiry; crime closed pending further information.',
  'Witness saw two youths running from the scene.',
];

export const INTEL_SENTENCES = [
  'Subject seen driving a {colour} {vehicle} in the {locality} area.',
  'Source reports subject is dealing class A drugs from {street}.',
  'Subject is believed to be storing stolen goods at an address on {street}.',
  'Subject associates with known gang members in {locality}.',
  'Subject uses the mobile number {phone}.',
  'Information suggests subject carries a knife when in {locality}.',
  'Subject has been seen at {premises} most evenings after {time}.',
  'Vehicle {vrmpart} seen parked outside {premises} late at night.',
  'Subject is a regular at the café on {street}.',
  'Subject has recently changed address and may be staying with a relative.',
  'Subject travelling to {locality} to collect cash.',
];

export const BUILDS = ['slim', 'medium', 'stocky', 'heavy', 'athletic'] as const;

export const REASONS = [
  'Op TRIDENT briefing', 'Investigation', 'Case file preparation', 'Intelligence development', 'Safeguarding referral',
  'Court disclosure', 'Supervisor review', 'Victim update', 'MAPPA meeting', 'Custody record check', 'Crime review',
] as const;
export const RECIPIENTS = [
  'CPS London', 'Home Office', 'HMRC', 'National Probation Service', 'LB Hounslow Children\'s Services', 'Kent Police',
  'Essex Police', 'British Transport Police', 'Defence solicitor', 'Insurance company (court order)', 'NCA',
] as const;

/** Ofcom drama number blocks: [national prefix, area code, local prefix]. */
export const PHONE_BLOCKS: ReadonlyArray<readonly [string, string]> = [
  ['07700', '900'],
  ['07700', '900'],
  ['07700', '900'],
  ['020', '7946 0'],
  ['0161', '496 0'],
  ['0113', '496 0'],
  ['0121', '496 0'],
  ['0117', '496 0'],
];
