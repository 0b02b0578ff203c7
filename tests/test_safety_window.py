"""Right after the emergency or crisis reply: doubting it, waiting or "he says he's fine" gets its
advice again (dialogue_policies/safety_window.py, content/safety_window.yml)."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.answers import about_the_advice
from dialogue_policies.safety_window import SafetyWindowPolicy
from nlu_components.base import RULE_CONFIDENCE
from helpers import new_policy, predicted_action
from scripts.turns import Turn, answer_of

# Blind conversations of 2026-12-06 (set G): each came right after the emergency reply.
DOUBTS = [
    "cant it just be depression tho", "can i just give her tylenol and see how she is in the morning",
    "should we still go in if he seems fine now", "he says hes fine and doesnt want to bother anyone",
    "could it just be stress from everything", "his wife is with him but she doesnt drive, what do i tell her",
    "she had a fever yesterday but it went away", "do we really have to go to the ER tonight?",
    # set J: the nurse's word from before, and driving oneself
    "the nurse said yesterday sleepiness is normal after all that chemo tho",
    "can i just drive myself to the ER, an ambulance takes forever out here",
    # eighth round, set Q: a reason of their own, "is it normal", the monitoring over
    "He says it's just because he skipped breakfast.", "he's 19 he's probably messing with me",
    "is normal she is tired from the chemo no?", "but the CRS window is over isn't it",
    "the hospital already sent us home though, she's done with the monitoring period",
    # set T: a cause of their own, afraid to call, no driver
    "i figured it was just from sitting around too much", "my neighbor says its probably food poisoning from sushi",
    "i am afraid to call ambulance, in my country ambulance is only for dying people",
    "I have telephoned the number on his card and they wish us to come in. I am not able to drive at night.",
    "should i call 911 or just drive him in myself",
    # ninth round, set AD
    "the nurse said her plate lets were low last week so maybe this is just normal for her",
    # tenth round, set AI: alone, or far away
    "home alone, husband is at work 45 min away", "we're 4 hrs from the center now tho",
    # set AK
    "her temperature is 37.0 though. does that mean its not serious?",
    # set AN: acting on it, and asking how to get there
    "ok im calling. do i drive her over or call 911??",
    # twelfth round, set BC: waved off; set BE: no 911 where they are
    "nah im good its not that bad", "Here 911 is not the number, who do I call?",
    # set BG: no fever, asked whether it still counts
    "she doesn't have a fever though, does that still count?",
    # thirteenth round, sets BM and BN: too long after it, whom to call asked again
    "but it's been 5 weeks, isn't that too late for side effects?", "It's 9pm and we're at home. who do we actually call?",
    # set BR: which hospital, an hour away
    "do we go to our local ER or drive to the cancer centre? it's an hour away",
]
# ...and after it, these are new questions or thanks: they get their answers (which start with the advice)
NOT_DOUBTS = ["ok ambulance is coming. thank you", "ok they want her back in. will she be admitted again",
              "they said come in. how do they treat crs if thats what it is", "what is crs exactly",
              "shes ok now, they said it was crs. thank you",
              "back from the ER, they kept me overnight and im ok now. how long until my energy comes back",
              # eighth round, set Q: already seen
              "she is better now in the hospital, doctors say she will be ok. how i can help her when she come home?",
              "ok she took me in. mild icans they said, steroids, im better now. does this mean i cant drive for longer?",
              "update: it was CRS, he got toci and the fever is gone now. can the fever come back?",
              "we're at the hospital now. they made her write a sentence, what's that for?",
              "ok the team is on the way. how do they usually treat it?",
              "ok and when am i allowed to drive myself places again",
              "ok ok, I'm calling. But can you just tell me how long until we can go home in general",
              "ok the nurse said come in right away. what do they usually do for this",
              # set W: the advice taken
              "ok we call. this is from the carvykti? it can come so late after?",
              "ok the triage line said bring her in. how long does this confusion usually last?",
              "fine, I'll ring them. once this is sorted, when CAN I drive?", "ok called, they want me in. what about food once I'm home",
              "ok I told her nurse, they're calling the doctor. could this be permanent?",
              # tenth round, set AH
              "ok we called and they want him back in. who will we even see there, is it his same doctor?",
              # set AK
              "while I wait for the callback - who on a CAR T team is usually the one answering the after-hours line?",
              # set AM: seen and sent home
              "- she's fine, discharged this morning\n- can her friends come over to the house yet or too soon",
              "they kept me 2 nites, steroids, hands are steady now. can it come back later on",
              # eleventh round, set AP: a team named, taken in
              "alright mum is ringing the myeloma team now. is this kind of thing something that goes away?",
              "mom called them, they're taking him in. are they going to give him steroids? is that bad for him",
              # thirteenth round, set BK: being seen; a caregiver's duties asked, no doubt
              "ok the team is seeing me. Is it normal to catch infections so easily after CAR T?",
              "Once he's home again, what do I actually have to do as his caregiver?",
              # set BT: in the waiting room
              "my son drove me in and I'm in the waiting room now. Why am I so prone to infections after this treatment?",
              # sixteenth round, set CN: help with them, 911 called
              "ambulance coming. is kymriah the one that's only for kids?",
              "in the ambulance now. what other car t products are there for dlbcl in case this one doesnt work",
              "the paramedic is asking what carvykti even is, what do i tell him",
              "called 911. was yescarta approved for people his age or was that some off label thing??"]


@pytest.mark.parametrize("text", DOUBTS)
def test_doubting_the_emergency_advice_is_about_it(text):
    assert about_the_advice("emergency").match(text)


@pytest.mark.parametrize("text", NOT_DOUBTS)
def test_a_new_question_or_thanks_after_the_emergency_reply_is_not(text):
    assert not about_the_advice("emergency").match(text)


@pytest.mark.parametrize("text, about_it", [
    ("please dont tell my mom", True), ("i was just joking, never mind", True), ("im fine really", True),
    ("what's the point, nobody would pick up", True), ("who else can I talk to about feeling like this?", False),
    ("am no phonin any helpline so ye can stop that", True), ("i said im not going to do anything ok. stop giving me the number", True),
    ("dont worry its all very calm and planned. no one needs to panic", True),
    ("Ah I'm grand, don't mind me, that's just the Irish in me being morbid", True),
    ("its just a question. im an adult im allowed to know stuff", True),
    ("ive made my mind up, please dont make this harder. theres nobody to call, thats sort of the point", True),
    ("please dont make this a thing. i just need to know how much longer he needs someone with him", True),
    ("jk lol. how much does car t even cost tho", True),
    # eighth round, set Q: the advice itself, calling or hiding the means
    ("fine maybe text. would 988 tell my family?", True), ("fine. give me the number again", True),
    ("ok maybe i'll text them", True), ("He'd be furious if I called anyone. Maybe I'm overreacting?", True),
    ("should I hide them?", True), ("what does the cancer support community do", False),
    ("ok. is there a helpline for caregivers", False),
    ("alright ill think about calling", True),
    ("I don't really want to talk to a hotline", True), ("ok I'll text them. I just don't want my wife to find out", True),
    ("its not like id actually do it", True), ("i mean it. i've thought about it a lot", True), ("ok. I give the gun to my brother tonight and I call the number", True),
    # ninth round: taking it back, and help reached
    ("lol im being dramatic ignore that. when can i go back to the gym", True),
    ("He'd hate me making a fuss. Maybe I should just ask you about the money side instead", True),
    ("ok. i texted 988 and someone is talking with me. thank you for not ignoring that", False),
    ("i talked to the 988 person last night and i'm safe, my brother is staying with me. when can i go back to work?", False),
    # tenth round, set AF: the number received with thanks
    ("Thank you for giving me that number. When things are less dark, where might a carer like me find some ordinary "
     "company and support, a group perhaps?", False),
    ("thanks for the number but i won't call", True),
    # tenth round, set AI: a plan told after the reply
    ("idk. maybe. ive thought about how", True),
    # set AM: help reached
    ("i called that number. talked to a lady for a long time. just wanted to say thx for not being weird about it", False),
    # eleventh round, set AP: help reached said without "I"; a life told as done; calling with someone there
    ("talked to the 988 person for almost an hour, and the social worker is calling me tomorrow. where do caregivers like "
     "me get help on a regular basis?", False),
    ("you don't get it. i'm 74, i've had a good run", True), ("my son is here now. he's sitting with me while i call them", True),
    # twelfth round, set BB: the call promised now, with thanks (not put off)
    ("ok. i'll call. thank you for not just giving me a link", False), ("i'll call tomorrow, thanks", True),
    ("i'll call, thanks, but not now", True),
    # set BC: told only here, a backup plan
    ("I not want to make trouble for people. Is ok, I only tell to you.", True),
    ("Relax, I'm not going to do it today. Just saying it's my backup plan.", True),
    ("OK. I will call the number. Thank you", False), ("Fine, I'll call them. Thanks I guess.", False),
    # thirteenth round, set BM: played down as old
    ("it's not that serious, I've felt like this for months", True),
    # set BR: thanks first, then the call promised now
    ("Thank you for not brushing that off. I'll call them now.", False), ("thanks. i'll call tomorrow", True),
    # fourteenth round, set BX: told to nobody else; the text promised now, with thanks
    ("I have not told anybody that.", True), ("nobody knows", True),
    ("ok. i'll text 988. thanks for not just giving me a leaflet", False), ("i'll text them tomorrow, thanks", True)])
def test_taking_back_or_hiding_a_crisis_message_is_about_the_crisis_advice(text, about_it):
    assert about_the_advice("crisis").match(text) == about_it


@pytest.fixture(scope="module")
def domain():
    return Domain.load("domain.yml")


@pytest.fixture
def policy(tmp_path):
    return new_policy(SafetyWindowPolicy, tmp_path)


def predicted(policy, domain, *events):
    return predicted_action(policy, domain, events)


def said(text, intent="basics", confidence=0.9):
    return [ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": confidence})]


def reply(action):
    return [ActionExecuted(action), BotUttered("...")]


SIGN = said("my dad had a seizure on the couch", "emergency") + reply("utter_emergency")


def test_a_doubt_right_after_the_emergency_reply_gets_its_reminder_then_the_assistant_listens(policy, domain):
    doubt = said("could it just be stress?")
    assert predicted(policy, domain, *SIGN, *doubt) == "utter_emergency_reminder"
    assert predicted(policy, domain, *SIGN, *doubt, *reply("utter_emergency_reminder")) == "action_listen"


def test_no_reminder_for_a_new_question_a_new_sign_or_outside_the_window(policy, domain):
    assert predicted(policy, domain, *SIGN, *said("will she be admitted again")) is None
    # a new sign, found by the red-flag rules, gets the full reply (data/rules.yml)
    assert predicted(policy, domain, *SIGN, *said("now he can't talk, can it be stress", "emergency", RULE_CONFIDENCE)) is None
    assert predicted(policy, domain, *said("could it just be stress?")) is None  # no emergency reply before
    later = SIGN + said("thanks") + reply("utter_thank") + said("ok") + reply("utter_thank")
    assert predicted(policy, domain, *later, *said("could it just be stress?")) is None


def test_a_classifier_guess_of_a_crisis_does_not_outrank_a_doubt_about_the_emergency_advice(policy, domain):
    """Ninth round, set Z: "she says she just wants to sleep it off till the morning and not bother
    anyone" read as a crisis (0.88, no crisis rule found it) and got 988 instead of the advice again."""
    doubt = said("she says she just wants to sleep it off till the morning and not bother anyone", "crisis", 0.88)
    assert predicted(policy, domain, *SIGN, *doubt) == "utter_emergency_reminder"
    assert predicted(policy, domain, *SIGN, *said("she wants to end it all", "crisis", RULE_CONFIDENCE)) is None


def test_a_doubt_answered_with_the_advice_leaves_the_topic_as_it_was(tmp_path, domain):
    """"cant it just be depression tho" read as vaccines: "how long does it last?" next is not about vaccines."""
    from dialogue_policies.conversation_context import ConversationContextPolicy

    context = new_policy(ConversationContextPolicy, tmp_path)
    parse = {"intent": {"name": "aftercare", "confidence": 0.9},
             "response_selector": {"all_retrieval_intents": ["aftercare"],
                                   "default": {"response": {"intent_response_key": "aftercare/vaccines"}}}}
    doubt = [ActionExecuted("action_listen"), UserUttered("cant it just be depression tho", parse["intent"], [], parse)]
    tracker = DialogueStateTracker.from_events("s", [*SIGN, *doubt])
    assert context.predict_action_probabilities(tracker, domain).events == []
    question = [ActionExecuted("action_listen"), UserUttered("when can I get my flu shot", parse["intent"], [], parse)]
    tracker = DialogueStateTracker.from_events("s", [*SIGN, *question])
    assert [e.value for e in context.predict_action_probabilities(tracker, domain).events] == ["vaccines"]


def test_a_message_only_guessed_as_a_follow_up_gets_the_reminder_and_did_you_mean_in_the_window(policy, domain):
    """"He says it's just because he skipped breakfast" (unsure, read as a follow-up of the topic before)."""
    guessed = [ActionExecuted("action_listen"),
               UserUttered("hmm he had a big lunch", {"name": "follow_up", "confidence": 0.3}, [],
                           {"intent": {"name": "follow_up", "confidence": 0.3},
                            "intent_ranking": [{"name": "follow_up", "confidence": 0.3},
                                               {"name": "nlu_fallback", "confidence": 0.3}]})]
    # the reminder, then the message's likeliest topics (actions/clarify.py), then the assistant listens
    assert predicted(policy, domain, *SIGN, *guessed) == "action_clarify"
    assert predicted(policy, domain, *SIGN, *guessed, *reply("action_clarify")) == "action_listen"
    assert predicted(policy, domain, *guessed) is None  # no emergency reply before
    sure = said("hmm he had a big lunch", "follow_up")  # a follow-up the classifier was sure of
    assert predicted(policy, domain, *SIGN, *sure) is None


def test_the_reminder_renews_the_window():
    """"whatever." then "fine. give me the number again": three messages after the crisis reply, two
    after its reminder."""
    from actions.answers import safety_reminder

    events = [{"event": "action", "name": "utter_crisis"}, {"event": "user"},
              {"event": "bot", "metadata": {"utter_action": "utter_crisis_reminder"}}, {"event": "user"}]
    assert safety_reminder(reversed(events)) == "utter_crisis_reminder"
    assert safety_reminder(reversed(events[:2] + [{"event": "user"}, {"event": "user"}])) is None


def test_the_advice_the_safety_net_gave_opens_no_window():
    """"hi! my husband had car t 10 days ago and i'm planning meals. can he eat sushi?" read as a warning sign by the
    learned net (a guess) gave the advice to the next two messages as well ("speaking of sushi do you know a good place
    in boston lol"; sixteenth round, set CQ). The emergency reply's window stays as it was."""
    from actions.answers import safety_reminder

    net = {"event": "user", "parse_data": {"safety_net": {"advice": "emergency", "confidence": 0.84}}}
    reminder = {"event": "bot", "metadata": {"utter_action": "utter_emergency_reminder"}}
    assert safety_reminder(reversed([net, reminder, {"event": "user"}])) is None
    assert safety_reminder(reversed([net, reminder])) is None
    # ...inside the emergency reply's window, that window still holds
    emergency = [{"event": "user"}, {"event": "action", "name": "utter_emergency"}]
    assert safety_reminder(reversed(emergency + [net, reminder])) == "utter_emergency_reminder"


def test_after_the_crisis_reply_its_own_reminder(policy, domain):
    crisis = said("i want to end it", "crisis") + reply("utter_crisis")
    assert predicted(policy, domain, *crisis, *said("please dont tell my mom")) == "utter_crisis_reminder"


def test_the_custom_policies_rank_above_the_rules_each_at_its_own_priority():
    """Rasa warns of policies of equal priority; when two are certain, the safety advice wins."""
    from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY

    from dialogue_policies.lookup_unavailable import LookupUnavailablePolicy
    from dialogue_policies.second_question import SecondQuestionPolicy

    priorities = [cls.get_default_config()[POLICY_PRIORITY]
                  for cls in (SafetyWindowPolicy, LookupUnavailablePolicy, SecondQuestionPolicy)]
    assert priorities == sorted(set(priorities), reverse=True) and min(priorities) > RULE_POLICY_PRIORITY


def test_the_evaluators_count_a_reminder_as_the_reply_it_repeats():
    turn = Turn({"event": "user"}, [{"event": "action", "name": "utter_emergency_reminder"},
                                    {"event": "bot", "text": "If this is about the symptoms ..."}])
    assert answer_of(turn, "crs") == "emergency"
    # also when "did you mean" buttons follow it (actions/clarify.py)
    turn = Turn({"event": "user"}, [{"event": "action", "name": "action_clarify"},
                                    {"event": "bot", "text": "If you are having thoughts ...",
                                     "metadata": {"utter_action": "utter_crisis_reminder"}},
                                    {"event": "bot", "text": "If you meant something else, is it one of these?"}])
    assert answer_of(turn, "relapse") == "crisis"
    # ...and so is a reminder a custom action sent (a follow-up right after the emergency reply)
    sent = Turn({"event": "user"}, [{"event": "action", "name": "action_answer_follow_up"},
                                    {"event": "bot", "text": "If this is about ...", "metadata": {"utter_action": "utter_emergency_reminder"}}])
    assert answer_of(sent, None) == "emergency"


def test_an_unclear_message_that_shows_the_advice_taken_gets_its_own_answer_not_the_advice_again(policy, domain):
    """Set AK (tenth round): "the daughter is back and calling them. is there a group ...?" (unsure of
    its topic) got the advice a third time, by the rule for unclear messages right after the reply."""
    taken = said("the daughter is back and calling them. is there a group that supports families through all this?",
                 "nlu_fallback", 0.3)
    assert predicted(policy, domain, *SIGN, *taken) == "action_clarify"
    assert predicted(policy, domain, *SIGN, *taken, *reply("action_clarify")) == "action_listen"
    assert predicted(policy, domain, *SIGN, *said("ok we called them, hello again", "greet")) == "utter_greet"
    # unclear and not taken: the rules give the advice again (this policy predicts nothing)
    assert predicted(policy, domain, *SIGN, *said("she says she'll see in the morning", "nlu_fallback", 0.3)) is None
    # a message later, the rules no longer apply: nothing to override
    later = SIGN + said("thanks") + reply("utter_thank")
    assert predicted(policy, domain, *later, *taken) is None
