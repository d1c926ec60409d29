"""Word lists for the demo group: invented towns, people, books and streets.

Everything here is made up. Town names are built from two parts so that a large group
still gets distinct, plausible names in a Montana-like landscape; no list is meant to
match a real place or person.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Comma-separated entries; line breaks inside an entry count as one space."""
    return tuple(" ".join(entry.split()) for entry in text.split(",") if entry.strip())


TOWN_FIRST = _words(
    """
Antelope, Aspen, Badger, Bear, Beaver, Big Horn, Bison, Bitter, Black, Blue, Boulder,
Buffalo, Bull, Cedar, Chalk, Cinder, Clear, Cold, Copper, Cottonwood, Coyote, Crow,
Crystal, Deer, Dry, Eagle, Elk, Falcon, Fir, Flint, Fox, Garnet, Glacier, Gold, Granite,
Grass, Gray, Hawk, Hay, Hidden, High, Iron, Juniper, Kestrel, Lark, Lodge, Lone, Magpie,
Maple, Marten, Meadow, Mill, Moose, Mule, North, Otter, Owl, Pine, Plenty, Prairie,
Quartz, Rain, Raven, Red, Rim, Rock, Rosebud, Sage, Salt, Sand, Shadow, Silver, Snow,
Sparrow, Spruce, Star, Stone, Summit, Sun, Swan, Tamarack, Thunder, Timber, Trout, Twin,
Valley, Whisper, White, Wild, Willow, Wind, Wolf
"""
)

# A leading '-' joins the part to the first without a space (Elkton).
TOWN_SECOND = _words(
    """
Bend, Bluff, Butte, City, Coulee, Creek, Crossing, Falls, Flats, Forks, Gap, Gulch,
Hill, Junction, Lake, Meadows, Pass, Point, Prairie, Rapids, Ridge, River, Rock,
Springs, Valley, Wells, -ton, -ville, -field, -burg, -wood, -dale
"""
)

COUNTY_NAMES = _words(
    """
Absaroka, Arrowleaf, Bannack, Bearpaw, Beartooth, Big Timber, Cabinet, Castle, Chinook,
Clarkfork, Crazy Mountain, Dearborn, Flathead Lake, Gallatin Range, Highwood, Judith,
Little Belt, Madison Range, Marias, Milk River, Missouri Breaks, Musselshell, Pryor,
Powder River, Ruby Valley, Smith River, Snowy Range, Sweetgrass, Teton, Tongue River,
Yellowstone Bend
"""
)

CITY_BRANCH_NAMES = _words(
    """
Downtown, Northside, Southside, Eastside, Westside, Riverfront, Heights, Airport Road,
Southgate
"""
)

STREET_NAMES = _words(
    """
Main, First, Second, Third, Fourth, Broadway, Central, Park, Railroad, River, Church,
School, Mill, Depot, Prospect, Grant, Lincoln, Washington, Cedar, Pine, Elm, Maple,
Spruce, Aspen, Ridge, Valley, Pioneer, Homestead, Ranch, Meadow, Sunrise, Sunset, Canyon
"""
)

STREET_KINDS = _words(
    """
St, Ave, Rd, Blvd, Dr, Way, Ln
"""
)

FIRST_NAMES = _words(
    """
Aaron, Abigail, Ada, Aiden, Alice, Amara, Amelia, Andre, Anna, Arjun, Audrey, Ava,
Beatrice, Ben, Bridget, Caleb, Camila, Carmen, Charlotte, Chen, Chloe, Clara, Colt,
Dakota, Daniel, Daria, David, Delia, Diego, Dorothy, Eli, Elena, Eliza, Emma, Ethan,
Evelyn, Fatima, Felix, Fiona, Gabriel, Grace, Hannah, Harold, Hazel, Henry, Ines, Isaac,
Isla, Jack, James, Jasmine, Jonah, Joseph, Julia, June, Kai, Kateri, Keith, Lena, Leo,
Liam, Lillian, Lucas, Lucy, Luis, Mabel, Maria, Mason, Maya, Mei, Miles, Mira, Nadia,
Naomi, Nathan, Nora, Oliver, Omar, Owen, Pearl, Priya, Quinn, Rosa, Ruth, Samuel, Sara,
Silas, Sofia, Stella, Theo, Tomas, Vera, Walter, Wren, Yusuf, Zoe
"""
)

LAST_NAMES = _words(
    """
Abbott, Alvarez, Anderson, Bauer, Bergstrom, Big Crane, Bjork, Brooks, Carlson,
Castillo, Chen, Christensen, Cole, Dahl, Dawson, Delgado, Eriksen, Evans, Fairbanks,
Fischer, Flores, Foster, Gallagher, Garcia, Gunderson, Hagen, Halvorsen, Harper, Hayes,
Hendricks, Hoffman, Holt, Iverson, Jensen, Johansson, Kaufman, Keller, Kim, Kowalski,
Larsen, Lindqvist, Lopez, MacLeod, Madsen, Martinez, McCarthy, Meyer, Moreno, Nakamura,
Nguyen, Nielsen, Novak, Okafor, Olsen, Ortiz, Patel, Pedersen, Peterson, Quintero,
Ramirez, Reyes, Rasmussen, Running Crane, Schmidt, Schultz, Sorensen, Stewart, Strand,
Sullivan, Svoboda, Takahashi, Thompson, Torres, Two Bears, Underwood, Vasquez, Wagner,
Walker, Weiss, Whitford, Wilson, Yellowtail, Young, Zimmerman
"""
)

TITLE_ADJECTIVES = _words(
    """
Silent, Broken, Hidden, Last, Lost, Burning, Frozen, Quiet, Wild, Golden, Crooked,
Forgotten, Distant, Midnight, Winter, Summer, Long, Empty, Bright, Dark, Little, Secret,
Restless, Wandering, Open, Endless, Stolen, Ordinary, Impossible, Unfinished
"""
)

TITLE_NOUNS = _words(
    """
River, Prairie, Mountain, Orchard, Winter, Harvest, Road, Sky, Letter, Garden, House,
Bridge, Storm, Horse, Ranch, Fire, Shadow, Light, Daughter, Sister, Stranger, Promise,
Journey, Valley, Lake, Map, Station, Library, Season, Kingdom, Island, Compass, Lantern,
Window, Homestead, Creek, Meadow, Trail, Border, Crossing
"""
)

TITLE_PLACES = _words(
    """
the Plains, the North Fork, Cedar Hollow, the High Line, Yellow Pine, the Badlands,
Paradise Valley, the Divide, Big Sky, Willow Bend, the Missouri, Hope Street,
Rattlesnake Ridge, the Old Mill, Coyote Flats
"""
)

NONFICTION_TOPICS = (
    ("Gardening in a Short Season", "Gardening -- Montana", "635.9"),
    ("Bread at Altitude", "Cooking, American -- Western style", "641.5"),
    ("The Rancher's Almanac", "Ranch life -- West (U.S.)", "636.2"),
    ("A Field Guide to Prairie Birds", "Birds -- Great Plains -- Identification", "598.09"),
    ("Trails of the Northern Rockies", "Hiking -- Rocky Mountains -- Guidebooks", "917.86"),
    ("The Homestead Years", "Frontier and pioneer life -- Montana", "978.6"),
    ("Small Engines Made Simple", "Small gasoline engines -- Maintenance and repair", "621.43"),
    ("Knitting for Long Winters", "Knitting -- Patterns", "746.43"),
    ("Understanding Your Money", "Finance, Personal", "332.024"),
    ("The Mindful Year", "Meditation", "158.12"),
    ("Fly Fishing the Western Rivers", "Fly fishing -- West (U.S.)", "799.124"),
    ("Raising Backyard Chickens", "Chickens", "636.5"),
    ("Dinosaurs of the Hell Creek", "Dinosaurs -- Montana", "567.9"),
    ("Weather and Climate of the Plains", "Weather -- Great Plains", "551.6"),
    ("Starting a Small Business", "Small business -- Management", "658.022"),
    ("Grief and Healing", "Grief", "155.937"),
    ("Woodworking Basics", "Woodwork", "684.08"),
    ("The Night Sky Through the Seasons", "Astronomy -- Observers' manuals", "523.8"),
    ("Native Plants of the Northern Plains", "Wild flowers -- Great Plains", "582.13"),
    ("Raising Kind Children", "Child rearing", "649.1"),
)

FICTION_SUBJECTS = _words(
    """
Ranch life -- Fiction, Families -- Fiction, Mystery fiction, Western stories, Romance
fiction, Historical fiction, Science fiction, Fantasy fiction, Small cities -- Fiction,
Friendship -- Fiction, Detective and mystery stories, Domestic fiction, Suspense
fiction, Montana -- Fiction
"""
)

JUVENILE_SUBJECTS = _words(
    """
Animals -- Juvenile fiction, Friendship -- Juvenile fiction, Horses -- Juvenile fiction,
Picture books, Adventure stories, Schools -- Juvenile fiction, Dragons -- Juvenile
fiction
"""
)

YA_SUBJECTS = _words(
    """
Coming of age -- Fiction, Young adult fiction, Dystopias -- Fiction, High schools --
Fiction, Magic -- Fiction
"""
)

FILM_SUBJECTS = _words(
    """
Feature films, Documentary films, Western films, Comedy films, Thrillers (Motion
pictures), Animated films
"""
)

MUSIC_SUBJECTS = _words(
    """
Country music, Bluegrass music, Folk music -- West (U.S.), Popular music, Jazz
"""
)

PUBLISHERS = _words(
    """
Prairie Lantern Press, Riverbend Books, High Line Publishing, Northern Sky Editions,
Copper Kettle Press, Stonefly House, Badlands Books, Bitterroot & Sons, Meadowlark
Media, Glacier Street Publishers, Sagebrush Audio, Big Country Pictures
"""
)

# (code, weight) for the language of generated titles: English first.
LANGUAGES = (("eng", 92), ("spa", 4), ("fre", 1), ("ger", 1), ("nor", 1), ("chi", 1))
