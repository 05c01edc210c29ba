package guard

import (
	"strings"
	"sync"
)

// diminutiveGroups are common English first names and the short forms
// people use for them: calling Jane Smith "Janie" in a reply names her as
// surely as "Jane". Each line is a full name followed by its short forms.
var diminutiveGroups = []string{
	"abigail abby abbie gail", "albert al bert bertie", "alexander alex alec xander sandy", "alexandra alex lexi lexie sandra sasha",
	"alfred alf alfie fred", "amanda mandy manda", "andrew andy drew", "angela angie", "ann annie nancy", "anne annie",
	"anthony tony", "barbara barb babs", "benjamin ben benny benji", "bradley brad", "cameron cam", "caroline carrie caro",
	"catherine cath cathy kate katie kat", "charles charlie chuck chas", "charlotte charlie lottie lotte", "christina chris tina chrissy",
	"christine chris chrissy tina", "christopher chris kit topher", "cynthia cindy", "daniel dan danny", "danielle dani",
	"david dave davey davie", "deborah debbie deb debs", "donald don donny", "dorothy dot dotty dottie", "douglas doug dougie",
	"edward ed eddie ted teddy ned", "eleanor ellie nell nellie elle", "elizabeth liz lizzie lizzy beth betty eliza libby bess bessie",
	"emily em emmy millie", "emma em emmy", "frances fran frankie", "francis frank frankie", "frederick fred freddie freddy",
	"gabriel gabe", "gabrielle gabby gabi", "geoffrey geoff jeff", "gerald gerry", "gregory greg", "harold harry hal",
	"harriet hattie hatty", "helen nell nellie", "henry harry hal hank", "isabel izzy bella issy", "isabella izzy bella issy",
	"jacob jake", "jacqueline jackie jacqui", "james jim jimmy jamie jem", "jane janie janey jan", "janet jan jenny", "jennifer jen jenny jenn",
	"jessica jess jessie", "joanna jo jojo", "joanne jo jojo", "john johnny jack", "jonathan jon jonny", "joseph joe joey",
	"joshua josh", "judith judy jude", "katherine kate katie kath kathy kat", "kathleen kath kathy kate", "kenneth ken kenny",
	"kimberley kim", "kimberly kim", "lawrence larry laurie", "leonard len lenny leo", "louise lou", "lucy lu", "madeline maddie maddy",
	"margaret maggie meg peggy marge margie greta", "mary molly polly mae", "matthew matt matty", "megan meg", "michael mike mikey mick micky",
	"michelle shelley", "nathan nate", "nathaniel nat nate", "natalie nat", "nicholas nick nicky nico", "nicola nicky nic",
	"oliver ollie olly", "olivia liv livvy", "patricia pat patty trish tricia", "patrick pat paddy", "penelope penny",
	"peter pete", "philip phil", "phillip phil", "rachel rach", "raymond ray", "rebecca becky becca", "richard rich rick ricky richie",
	"robert rob robbie bob bobby bert", "ronald ron ronnie", "samantha sam sammy", "samuel sam sammy", "sarah sally sadie",
	"sophia sophie soph", "sophie soph", "stephanie steph", "stephen steve stevie", "steven steve stevie", "susan sue susie suzy",
	"suzanne sue susie suzy", "terence terry", "teresa tess tessa terry", "theodore theo ted teddy", "theresa tess tessa terry",
	"thomas tom tommy", "timothy tim timmy", "valerie val", "victoria vicky vickie tori", "vincent vince", "william will bill billy liam willie",
	"zachary zach zack",
}

var (
	diminutivesOnce sync.Once
	diminutivesOf   map[string][]string
)

// diminutives are the other forms of a first name (lower case, without
// the name itself): the table's short forms of a full name, the full name
// and sibling forms of a short one, and the "-ie" form ("jane" → "janie").
func diminutives(first string) []string {
	diminutivesOnce.Do(func() {
		diminutivesOf = map[string][]string{}
		for _, g := range diminutiveGroups {
			ws := strings.Fields(g)
			for _, w := range ws {
				diminutivesOf[w] = append(diminutivesOf[w], ws...)
			}
		}
	})
	first = strings.ToLower(first)
	seen := map[string]bool{first: true}
	var out []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range diminutivesOf[first] {
		add(w)
	}
	if n := len(first); n >= 4 && first[n-1] == 'e' && !strings.ContainsRune("aeiouy", rune(first[n-2])) {
		add(first[:n-1] + "ie") // jane → janie, rose → rosie
	}
	return out
}
