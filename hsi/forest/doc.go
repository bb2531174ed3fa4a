// Package forest is a random forest classifier (Breiman 2001): CART trees grown to
// purity on bootstrap samples, Gini impurity, √features candidate features per split
// (scikit-learn's RandomForestClassifier defaults), class probabilities as the mean of
// the trees' leaf class fractions, prediction their argmax. The peer is scikit-learn's
// RandomForestClassifier on the same features.
//
// References:
//
//   - Breiman, "Random forests", Machine Learning 45, 2001.
//   - Breiman, Friedman, Olshen, Stone, "Classification and regression trees", 1984.
package forest
