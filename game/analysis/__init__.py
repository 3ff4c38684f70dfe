"""Analysis of games: batches of bot games, transcripts, counterfactual branches, playthroughs."""
