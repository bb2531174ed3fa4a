#!/usr/bin/python3
"""scikit-learn peers of hsi/svm and hsi/forest on identical features.

usage: sklearn_peer.py DIR
DIR holds xtrain.f64 / xtest.f64 (float64 little endian, row-major n x dim), ytrain.i64 /
ytest.i64 (int64 labels) and meta.json {"dim", "C", "gamma", "seeds", "trees"} written by the
Go test (hsi/peer_test.go). Prints one JSON object:
  svc_oa          SVC(C, gamma) accuracy on the test rows (erg's chosen C, gamma)
  svc_pred        its test predictions
  svc_grid        the (C, gamma) scikit-learn's GridSearchCV picks on erg's grid (5-fold stratified)
  svc_grid_oa     accuracy of that choice
  rf_oa           RandomForestClassifier(trees) accuracy, mean over seeds 1..seeds
"""
import json
import os
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.svm import SVC

d = sys.argv[1]
meta = json.load(open(os.path.join(d, 'meta.json')))
dim = meta['dim']
xtr = np.fromfile(os.path.join(d, 'xtrain.f64'), dtype='<f8').reshape(-1, dim)
xte = np.fromfile(os.path.join(d, 'xtest.f64'), dtype='<f8').reshape(-1, dim)
ytr = np.fromfile(os.path.join(d, 'ytrain.i64'), dtype='<i8')
yte = np.fromfile(os.path.join(d, 'ytest.i64'), dtype='<i8')

svc = SVC(C=meta['C'], gamma=meta['gamma'], kernel='rbf', tol=1e-3).fit(xtr, ytr)
pred = svc.predict(xte)
out = {'svc_oa': float((pred == yte).mean()), 'svc_pred': [int(v) for v in pred],
       'svc_support_vectors': int(svc.support_.size)}
grid = GridSearchCV(SVC(kernel='rbf'), {'C': meta['grid_C'], 'gamma': meta['grid_gamma']},
                    cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=1)).fit(xtr, ytr)
out['svc_grid'] = [grid.best_params_['C'], grid.best_params_['gamma']]
out['svc_grid_oa'] = float((grid.predict(xte) == yte).mean())
oas = []
for s in range(1, meta['seeds'] + 1):
    rf = RandomForestClassifier(n_estimators=meta['trees'], random_state=s, n_jobs=2).fit(xtr, ytr)
    oas.append(float((rf.predict(xte) == yte).mean()))
out['rf_oa'] = float(np.mean(oas))
out['rf_oa_per_seed'] = oas
print(json.dumps(out))
