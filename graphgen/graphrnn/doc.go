// Package graphrnn is GraphRNN-S and GraphRNN (You, Ying, Ren, Hamilton and
// Leskovec, "GraphRNN: Generating Realistic Graphs with Deep Auto-regressive
// Models", ICML 2018), following the authors' code
// (github.com/JiaxuanYou/graph-generation: main.py, model.py, train.py,
// args.py, data.py, create_graphs.py).
//
// # Sequences
//
// A graph is generated as a sequence of adjacency vectors in a breadth-first
// order: relabel the graph by a random permutation, start a BFS at a random
// node (neighbours visited in increasing new label), and give node i the
// vector S_i of length M (max_prev_node) whose entry j says whether i is
// adjacent to node i-1-j (BFSSequence, Encode, Decode). In a BFS order every
// edge joins nodes less than the BFS "bandwidth" apart, so M can be far
// below the number of nodes; edges further apart are dropped and counted
// (Encode's truncated, Truncation). M is GraphRNN's per set (MaxPrevOf: 40
// on grid, 20 on community-small, the value of GraphRNN's caveman_small with
// the same 12–20 nodes, and 15 on ego-small as its citeseer_small), or
// estimated as GraphRNN's calc_max_prev_node: the largest bandwidth of 20000
// random BFS orderings (EstimateMaxPrev).
//
// # Networks
//
// Both models have a graph-level RNN (GRU_plain): the vector S_{i-1} (all
// ones for the first node) through a dense embedding and a ReLU, then 4
// stacked GRUs (nn.GRUCell, PyTorch's gate convention) with a state of 128
// (64 on sets named *small*, GraphRNN's parameter_shrink). GraphRNN-S
// (GraphRNN_MLP) maps the state through dense–ReLU–dense (width 64, 32 on
// small sets) to M independent Bernoulli logits. GraphRNN (GraphRNN_RNN)
// maps it through dense–ReLU–dense to the first-layer state (16) of an
// edge-level RNN of 4 GRU layers, whose input is the previous entry of S_i
// (1 at the start) embedded in 8, and whose output dense–ReLU–dense (8) gives
// one Bernoulli logit per entry. Initialisation is GraphRNN's (Init): GRU
// weights Xavier-uniform, GRU biases 0.25, dense weights Xavier-uniform with
// gain √2.
//
// Training is teacher-forced binary cross-entropy with GraphRNN's
// normalisation (MakeBatch, Loss): batches of 32 graphs drawn with
// replacement, each in a fresh random BFS order, sequences padded to the
// largest training graph; the mean of the cross-entropies is taken over the
// padded batch as PyTorch's F.binary_cross_entropy does in GraphRNN (for
// GraphRNN over its packed edge-level sequences, which for node i have
// min(i, M) entries). Train runs it with train.Trainer in a run directory:
// Adam (lr 0.003), checkpoints, resume, energy metering, report.
//
// Sampling (Model.Sample) is autoregressive and seeded: node i's vector is
// drawn entry by entry from the Bernoulli probabilities (for GraphRNN each
// draw is the edge-level RNN's next input) and fed back as the next input
// (entries beyond node i's i earlier nodes are not drawn: they are 0, as in
// every training sequence); a graph ends at its first all-zero vector (GraphRNN's
// pick_connected_component_new cuts there) or at the largest training
// graph's size.
//
// # Recipe and what is scaled
//
// GraphRNN trains 3000 epochs of 32 batches (96000 steps) with MultiStepLR
// ×0.3 at steps 400 and 1000 (its scheduler steps every batch). Here an epoch
// is also 32 batches and DefaultEpochs is 100 (3200 steps): on community-small
// 3 CPU-minutes for GraphRNN-S and 9 for GraphRNN on one core (7.5 and 41
// minutes of wall time on a machine shared with two other jobs); --epochs
// 3000 restores the recipe. On grid (342 nodes, an unrolled graph of 342×4
// GRU cells) a GraphRNN-S step takes about 2 CPU-seconds, so the recipe's
// 96000 steps are out of reach on two cores. The learning rate follows a cosine from 0.003 to 0.003·0.09, the
// rate GraphRNN ends at, because train.Schedule has no multi-step schedule.
// GraphRNN evaluates 3000-epoch checkpoints and three sampling variants and
// reports the best; here the last checkpoint is sampled once with plain
// Bernoulli draws.
package graphrnn
