// Package deep holds the deep time-series classifiers of the dl-4-tsc model zoo — MLP,
// FCN, ResNet and Encoder — and InceptionTime, built on erg's nn layers and trained by
// erg's train loop with each model's published default training (optimizer, epochs,
// batch-size rule, ReduceLROnPlateau on the training loss, keep the model with the
// lowest training loss).
//
// Inputs are [batch, length, channels] (channels-last, as in Keras). Series of unequal
// length are zero-padded at the end to the longest training series and a mask keeps the
// padding out of global average pooling; the MLP sees the padded series flattened.
// Alternatively Model's length parameter (erg tsc … --set length=N) resamples every
// series to N points by linear interpolation, in training and in prediction — for
// unequal lengths, and to shorten very long series (PLAID's 1344 points).
//
// Given a run.Experiment (Classifier.Experiment, or tsc.FitOptions.Experiment as
// tsc.Train and erg tsc train give it), training happens inside it: one metric line
// per epoch, checkpoints, a progress line per epoch (at most every 10 s off a
// terminal) and the experiment's energy figures; a resumed experiment continues from
// its checkpoint to the same parameters as an uninterrupted run. InceptionTime's
// ensemble members train in child experiments member0, member1, ... Without one
// (the benchmark runner), training keeps no run directory unless the rundir parameter
// names one. Model saves and loads fitted networks (tsc.Persister).
//
// References:
//   - Ismail Fawaz, Forestier, Weber, Idoumghar, Muller, "Deep learning for time series
//     classification: a review", Data Mining and Knowledge Discovery 33, 2019
//     (code: hfawaz/dl-4-tsc).
//   - Wang, Yan, Oates, "Time series classification from scratch with deep neural
//     networks: a strong baseline", IJCNN 2017 (MLP, FCN, ResNet).
//   - Serrà, Pascual, Karatzoglou, "Towards a universal neural network encoder for time
//     series", CCIA 2018 (Encoder).
//   - Ismail Fawaz et al., "InceptionTime: finding AlexNet for time series
//     classification", DMKD 34, 2020.
package deep
