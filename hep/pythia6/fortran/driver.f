C     erg's Pythia 6.4 driver: pp collisions for boosted-jet studies.
C     Part of github.com/ergml/erg (package hep/pythia6), linked with
C     Pythia 6.4.28 (T. Sjostrand et al., JHEP 0605:026, 2006).
C     Reads one line from standard input:  PROC NEVT SEED PTMIN PTMAX ECM
C       PROC 1 = QCD 2->2 (MSEL=1), 2 = ttbar (MSEL=6),
C            3 = W+jet (MSUB(16), MSUB(31)); W -> q qbar in 2 and 3.
C     Writes "S name value" lines (the settings used), then per event
C       E iev npart nhard
C       H kf px py pz e     (nhard: documented t, tbar, W of the event)
C       P px py pz e        (npart: final state, neutrinos dropped)
C     and "END nevt" at the end. Pythia's own messages go to stderr.
      PROGRAM ERGPY6
      IMPLICIT DOUBLE PRECISION(A-H, O-Z)
      IMPLICIT INTEGER(I-N)
      INTEGER PYCOMP
      EXTERNAL PYDATA
      COMMON/PYJETS/N,NPAD,K(4000,5),P(4000,5),V(4000,5)
      COMMON/PYDAT1/MSTU(200),PARU(200),MSTJ(200),PARJ(200)
      COMMON/PYDAT3/MDCY(500,3),MDME(8000,2),BRAT(8000),KFDP(8000,5)
      COMMON/PYPARS/MSTP(200),PARP(200),MSTI(200),PARI(200)
      COMMON/PYSUBS/MSEL,MSELPD,MSUB(500),KFIN(2,-40:40),CKIN(200)
      COMMON/PYDATR/MRPY(6),RRPY(100)
      READ(*,*) IPROC,NEVT,ISEED,PTMIN,PTMAX,ECM
      MSTU(11)=0
      MSTU(12)=12345
      MSTP(122)=0
      MRPY(1)=ISEED
      MRPY(2)=0
      MSTP(81)=0
      CKIN(3)=PTMIN
      CKIN(4)=PTMAX
      IF(IPROC.EQ.1) THEN
        MSEL=1
      ELSEIF(IPROC.EQ.2) THEN
        MSEL=6
      ELSE
        MSEL=0
        MSUB(16)=1
        MSUB(31)=1
      ENDIF
      IF(IPROC.NE.1) THEN
        KC=PYCOMP(24)
        DO 5 IDC=MDCY(KC,2),MDCY(KC,2)+MDCY(KC,3)-1
          IF(IABS(KFDP(IDC,1)).GT.8) MDME(IDC,1)=MIN(0,MDME(IDC,1))
    5   CONTINUE
      ENDIF
      WRITE(*,'(A,I6)') 'S PROC ',IPROC
      WRITE(*,'(A,I6)') 'S MSEL ',MSEL
      WRITE(*,'(A,2I3)') 'S MSUB(16),MSUB(31) ',MSUB(16),MSUB(31)
      WRITE(*,'(A,I3)') 'S MSTP(81) ',MSTP(81)
      WRITE(*,'(A,I11)') 'S MRPY(1) ',MRPY(1)
      WRITE(*,'(A,2F12.3)') 'S CKIN(3),CKIN(4) ',CKIN(3),CKIN(4)
      WRITE(*,'(A,F12.3)') 'S ECM ',ECM
      CALL PYINIT('CMS','p','p',ECM)
      DO 100 IEV=1,NEVT
        CALL PYEVNT
        NP=0
        NH=0
        DO 10 I=1,N
          KA=IABS(K(I,2))
          IF(K(I,1).EQ.1.AND.KA.NE.12.AND.KA.NE.14.AND.KA.NE.16)
     &      NP=NP+1
          IF(K(I,1).EQ.21.AND.(KA.EQ.6.OR.KA.EQ.24)) NH=NH+1
   10   CONTINUE
        WRITE(*,'(A,I10,2I7)') 'E',IEV,NP,NH
        DO 20 I=1,N
          KA=IABS(K(I,2))
          IF(K(I,1).EQ.21.AND.(KA.EQ.6.OR.KA.EQ.24))
     &      WRITE(*,'(A,I7,4(1X,ES16.9))') 'H',K(I,2),(P(I,J),J=1,4)
   20   CONTINUE
        DO 30 I=1,N
          KA=IABS(K(I,2))
          IF(K(I,1).EQ.1.AND.KA.NE.12.AND.KA.NE.14.AND.KA.NE.16)
     &      WRITE(*,'(A,4(1X,ES16.9))') 'P',(P(I,J),J=1,4)
   30   CONTINUE
  100 CONTINUE
      WRITE(*,'(A,I10)') 'END',NEVT
      END
